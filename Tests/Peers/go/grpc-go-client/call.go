// The call mode: one call, printed as JSON.

package main

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

type callResult struct {
	Code      int                 `json:"code"`
	CodeName  string              `json:"codeName"`
	Message   string              `json:"message"`
	Headers   map[string][]string `json:"headers"`
	Trailers  map[string][]string `json:"trailers"`
	Responses []string            `json:"responses"`
	Seconds   float64             `json:"seconds"`
}

func runCall(args []string) error {
	fs := flag.NewFlagSet("call", flag.ContinueOnError)
	var c commonFlags
	c.register(fs)
	kind := fs.String("kind", "unary", "streaming kind: unary, client, server or bidi")
	timeout := fs.Duration("timeout", 10*time.Second, "deadline of the call (sent as grpc-timeout), and of connecting")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if err := c.validate(); err != nil {
		return err
	}
	payloads, err := c.payloads()
	if err != nil {
		return err
	}
	md, err := c.metadata()
	if err != nil {
		return err
	}
	desc := &grpc.StreamDesc{StreamName: c.method}
	switch *kind {
	case "unary":
		if len(payloads) != 1 {
			return usageError{"--kind unary sends exactly one message"}
		}
	case "client":
		desc.ClientStreams = true
	case "server":
		desc.ServerStreams = true
		if len(payloads) != 1 {
			return usageError{"--kind server sends exactly one message"}
		}
	case "bidi":
		desc.ClientStreams, desc.ServerStreams = true, true
	default:
		return usageError{fmt.Sprintf("--kind %q: want unary, client, server or bidi", *kind)}
	}

	// Connect lazily: a server that cannot be reached shows up as the
	// call's UNAVAILABLE status in the JSON, like any other outcome.
	opts, err := c.dialOptions()
	if err != nil {
		return err
	}
	conn, err := grpc.Dial(c.addr, opts...)
	if err != nil {
		return err
	}
	defer conn.Close()

	ctx, cancel := context.WithTimeout(metadata.NewOutgoingContext(context.Background(), md), *timeout)
	defer cancel()
	start := time.Now()
	result := callResult{Headers: map[string][]string{}, Trailers: map[string][]string{}, Responses: []string{}}
	stream, err := conn.NewStream(ctx, desc, c.method)
	if err == nil {
		err = exchange(stream, payloads, &result)
		if header, herr := stream.Header(); herr == nil {
			result.Headers = printableMetadata(header)
		}
		result.Trailers = printableMetadata(stream.Trailer())
	}
	result.Seconds = time.Since(start).Seconds()
	st := status.Convert(err)
	result.Code, result.CodeName, result.Message = int(st.Code()), codeName(st.Code()), st.Message()
	out, _ := json.Marshal(result)
	fmt.Println(string(out))
	return nil
}

// exchange sends every payload, half-closes, and reads responses until the
// server ends the call. It returns the call's error (nil for OK).
func exchange(stream grpc.ClientStream, payloads [][]byte, result *callResult) error {
	for _, p := range payloads {
		if err := stream.SendMsg(&rawMessage{data: p}); err != nil {
			if err == io.EOF {
				break // the server ended the call; RecvMsg reports its status
			}
			return err
		}
	}
	if err := stream.CloseSend(); err != nil {
		return err
	}
	for {
		var msg rawMessage
		err := stream.RecvMsg(&msg)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		result.Responses = append(result.Responses, hex.EncodeToString(msg.data))
	}
}

// printableMetadata renders -bin values as base64, as they travel.
func printableMetadata(md metadata.MD) map[string][]string {
	out := map[string][]string{}
	for key, values := range md {
		for _, v := range values {
			if strings.HasSuffix(key, "-bin") {
				v = base64.StdEncoding.EncodeToString([]byte(v))
			}
			out[key] = append(out[key], v)
		}
	}
	return out
}
