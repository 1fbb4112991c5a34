// Command grpc-go-server is an independent gRPC server for polarisctl's
// interop tests and benchmarks, built on grpc-go.
//
// It serves:
//
//   - helloworld.Greeter/SayHello: HelloRequest{name = 1} answered with
//     HelloReply{message = 1} = "Hello " + name;
//   - grpc.health.v1.Health (Check, Watch), reporting SERVING for "" and
//     helloworld.Greeter;
//   - every other method path as an echo: request messages come back
//     unchanged, whatever their type, for all four streaming kinds.
//
// Echo calls are steered with request metadata:
//
//	x-echo-mode: each|last|concat  when to answer (default each):
//	    each    send every request message back as it arrives (unary,
//	            server streaming, bidi);
//	    last    after the client half-closes, send the last message once
//	            (client streaming);
//	    concat  after the client half-closes, send all messages joined into
//	            one (protobuf merges them; client streaming).
//	x-echo-repeat: N     in mode each, send each message N times (default 1).
//	x-echo-status: CODE  end the call with this status, a number or a name
//	                     such as NOT_FOUND or not_found.
//	x-echo-message: TEXT the status message that goes with x-echo-status.
//	x-echo-after: N      with x-echo-status, echo N messages first; with 0
//	                     (default) nothing is read or sent, so the client
//	                     gets a trailers-only response.
//	x-sleep-ms: MS       wait this long before answering; the call's
//	                     deadline still applies.
//
// Every request metadata entry except the transport's own (content-type,
// user-agent, te, grpc-*, :pseudo) is echoed in the response headers and
// again in the trailers. The headers also carry x-echo-method (the path);
// the trailers carry x-echo-received (request messages read).
//
// The first line on stdout is the bound address, e.g. 127.0.0.1:40123.
// SIGTERM or SIGINT stops the server gracefully (in-flight calls finish,
// for at most --grace).
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/ioutil"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/golang/protobuf/proto"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/encoding"
	_ "google.golang.org/grpc/encoding/gzip" // accept and answer gzip-compressed messages
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on; port 0 picks a free port")
	certFile := flag.String("tls-cert", "", "PEM certificate chain; serves TLS when set (with --tls-key)")
	keyFile := flag.String("tls-key", "", "PEM private key for --tls-cert")
	clientCA := flag.String("client-ca", "", "PEM CA bundle; when set, clients must present a certificate it signed (mTLS)")
	grace := flag.Duration("grace", 5*time.Second, "how long a graceful stop may wait for in-flight calls")
	maxMsg := flag.Int("max-msg-size", 16<<20, "largest message accepted or sent, in bytes")
	maxStreams := flag.Uint("max-streams", 0, "SETTINGS_MAX_CONCURRENT_STREAMS to announce; 0 keeps grpc-go's default")
	flag.Parse()

	if err := run(*listen, *certFile, *keyFile, *clientCA, *grace, *maxMsg, uint32(*maxStreams)); err != nil {
		fmt.Fprintln(os.Stderr, "grpc-go-server:", err)
		os.Exit(1)
	}
}

func run(listen, certFile, keyFile, clientCA string, grace time.Duration, maxMsg int, maxStreams uint32) error {
	opts := []grpc.ServerOption{
		grpc.UnknownServiceHandler(echoHandler),
		grpc.MaxRecvMsgSize(maxMsg),
		grpc.MaxSendMsgSize(maxMsg),
	}
	if maxStreams > 0 {
		opts = append(opts, grpc.MaxConcurrentStreams(maxStreams))
	}
	creds, err := serverCredentials(certFile, keyFile, clientCA)
	if err != nil {
		return err
	}
	if creds != nil {
		opts = append(opts, grpc.Creds(creds))
	}

	server := grpc.NewServer(opts...)
	server.RegisterService(&greeterServiceDesc, struct{}{})
	healthServer := health.NewServer()
	healthServer.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	healthServer.SetServingStatus(greeterServiceDesc.ServiceName, healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(server, healthServer)

	lis, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	fmt.Println(lis.Addr().String())

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-signals
		healthServer.Shutdown()
		done := make(chan struct{})
		go func() { server.GracefulStop(); close(done) }()
		select {
		case <-done:
		case <-time.After(grace):
			server.Stop()
		}
	}()

	if err := server.Serve(lis); err != nil && !errors.Is(err, grpc.ErrServerStopped) {
		return err
	}
	return nil
}

// serverCredentials returns nil for plaintext, or TLS credentials built from
// the flag values.
func serverCredentials(certFile, keyFile, clientCA string) (credentials.TransportCredentials, error) {
	if certFile == "" && keyFile == "" {
		if clientCA != "" {
			return nil, errors.New("--client-ca needs --tls-cert and --tls-key")
		}
		return nil, nil
	}
	if certFile == "" || keyFile == "" {
		return nil, errors.New("--tls-cert and --tls-key go together")
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, err
	}
	config := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if clientCA != "" {
		pem, err := ioutil.ReadFile(clientCA)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s: no PEM certificates", clientCA)
		}
		config.ClientCAs = pool
		config.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return credentials.NewTLS(config), nil
}

// MARK: - Greeter

// helloRequest is helloworld.HelloRequest: string name = 1.
type helloRequest struct{ name string }

// helloReply is helloworld.HelloReply: string message = 1.
type helloReply struct{ message string }

var greeterServiceDesc = grpc.ServiceDesc{
	ServiceName: "helloworld.Greeter",
	HandlerType: (*interface{})(nil),
	Methods: []grpc.MethodDesc{{
		MethodName: "SayHello",
		Handler: func(_ interface{}, ctx context.Context, decode func(interface{}) error, _ grpc.UnaryServerInterceptor) (interface{}, error) {
			in := new(helloRequest)
			if err := decode(in); err != nil {
				return nil, err
			}
			return &helloReply{message: "Hello " + in.name}, nil
		},
	}},
	Metadata: "helloworld.proto",
}

// MARK: - Echo

// echoHandler answers every method that no registered service owns.
func echoHandler(_ interface{}, stream grpc.ServerStream) error {
	ctx := stream.Context()
	method, _ := grpc.MethodFromServerStream(stream)
	md, _ := metadata.FromIncomingContext(ctx)
	control, err := parseEchoControl(md)
	if err != nil {
		return status.Error(codes.InvalidArgument, err.Error())
	}

	echoed := echoableMetadata(md)
	header := echoed.Copy()
	header.Set("x-echo-method", method)
	if err := stream.SetHeader(header); err != nil {
		return err
	}
	received := 0
	defer func() {
		trailer := echoed.Copy()
		trailer.Set("x-echo-received", strconv.Itoa(received))
		stream.SetTrailer(trailer)
	}()

	if control.sleep > 0 {
		select {
		case <-time.After(control.sleep):
		case <-ctx.Done():
			return status.FromContextError(ctx.Err()).Err()
		}
	}

	fail := func() error { return status.Error(control.code, control.message) }
	if control.code != codes.OK && control.after == 0 {
		return fail()
	}

	var kept []byte
	for {
		var msg rawMessage
		if err := stream.RecvMsg(&msg); err == io.EOF {
			break
		} else if err != nil {
			return err
		}
		received++
		switch control.mode {
		case "each":
			for i := 0; i < control.repeat; i++ {
				if err := stream.SendMsg(&msg); err != nil {
					return err
				}
			}
			if control.code != codes.OK && received >= control.after {
				return fail()
			}
		case "last":
			kept = msg.data
		case "concat":
			kept = append(kept, msg.data...)
		}
	}
	if control.code != codes.OK {
		return fail()
	}
	if control.mode != "each" && received > 0 {
		return stream.SendMsg(&rawMessage{data: kept})
	}
	return nil
}

type echoControl struct {
	mode    string
	repeat  int
	code    codes.Code
	message string
	after   int
	sleep   time.Duration
}

func parseEchoControl(md metadata.MD) (echoControl, error) {
	c := echoControl{mode: "each", repeat: 1}
	get := func(key string) string {
		if v := md.Get(key); len(v) > 0 {
			return strings.TrimSpace(v[len(v)-1])
		}
		return ""
	}
	if v := get("x-echo-mode"); v != "" {
		switch v {
		case "each", "last", "concat":
			c.mode = v
		default:
			return c, fmt.Errorf("x-echo-mode %q: want each, last or concat", v)
		}
	}
	number := func(key string, into *int) error {
		v := get(key)
		if v == "" {
			return nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return fmt.Errorf("%s %q: want a number >= 0", key, v)
		}
		*into = n
		return nil
	}
	if err := number("x-echo-repeat", &c.repeat); err != nil {
		return c, err
	}
	if err := number("x-echo-after", &c.after); err != nil {
		return c, err
	}
	sleepMs := 0
	if err := number("x-sleep-ms", &sleepMs); err != nil {
		return c, err
	}
	c.sleep = time.Duration(sleepMs) * time.Millisecond
	if v := get("x-echo-status"); v != "" {
		code, ok := parseCode(v)
		if !ok {
			return c, fmt.Errorf("x-echo-status %q: want a code number 0-16 or a name", v)
		}
		c.code = code
	}
	c.message = get("x-echo-message")
	return c, nil
}

var codeNames = map[string]codes.Code{
	"OK": codes.OK, "CANCELLED": codes.Canceled, "UNKNOWN": codes.Unknown,
	"INVALID_ARGUMENT": codes.InvalidArgument, "DEADLINE_EXCEEDED": codes.DeadlineExceeded,
	"NOT_FOUND": codes.NotFound, "ALREADY_EXISTS": codes.AlreadyExists,
	"PERMISSION_DENIED": codes.PermissionDenied, "RESOURCE_EXHAUSTED": codes.ResourceExhausted,
	"FAILED_PRECONDITION": codes.FailedPrecondition, "ABORTED": codes.Aborted,
	"OUT_OF_RANGE": codes.OutOfRange, "UNIMPLEMENTED": codes.Unimplemented,
	"INTERNAL": codes.Internal, "UNAVAILABLE": codes.Unavailable, "DATA_LOSS": codes.DataLoss,
	"UNAUTHENTICATED": codes.Unauthenticated,
}

func parseCode(text string) (codes.Code, bool) {
	if n, err := strconv.Atoi(text); err == nil {
		return codes.Code(n), n >= 0 && n <= 16
	}
	code, ok := codeNames[strings.ToUpper(text)]
	return code, ok
}

// echoableMetadata drops the entries that belong to the transport.
func echoableMetadata(md metadata.MD) metadata.MD {
	out := metadata.MD{}
	for key, values := range md {
		if strings.HasPrefix(key, ":") || strings.HasPrefix(key, "grpc-") {
			continue
		}
		switch key {
		case "content-type", "user-agent", "te", "authority":
			continue
		}
		out[key] = append([]string(nil), values...)
	}
	return out
}

// MARK: - Codec

// rawMessage is a message whose bytes are passed through untouched.
type rawMessage struct{ data []byte }

// wireCodec replaces grpc-go's "proto" codec. It moves rawMessage bytes as
// they are, encodes the two greeter messages by hand, and hands generated
// protobuf messages (the health service) to the protobuf library.
type wireCodec struct{}

func (wireCodec) Name() string { return "proto" }

func (wireCodec) Marshal(v interface{}) ([]byte, error) {
	switch m := v.(type) {
	case *rawMessage:
		return m.data, nil
	case *helloReply:
		return appendStringField(nil, 1, m.message), nil
	case *helloRequest:
		return appendStringField(nil, 1, m.name), nil
	case proto.Message:
		return proto.Marshal(m)
	}
	return nil, fmt.Errorf("cannot encode %T", v)
}

func (wireCodec) Unmarshal(data []byte, v interface{}) error {
	switch m := v.(type) {
	case *rawMessage:
		m.data = append([]byte(nil), data...)
		return nil
	case *helloRequest:
		s, err := stringField(data, 1)
		m.name = s
		return err
	case *helloReply:
		s, err := stringField(data, 1)
		m.message = s
		return err
	case proto.Message:
		return proto.Unmarshal(data, m)
	}
	return fmt.Errorf("cannot decode into %T", v)
}

func init() {
	encoding.RegisterCodec(wireCodec{})
}

// appendStringField appends a length-delimited field; empty strings are
// left out, as proto3 does.
func appendStringField(b []byte, number int, s string) []byte {
	if s == "" {
		return b
	}
	b = appendVarint(b, uint64(number)<<3|2)
	b = appendVarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendVarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

var errTruncated = errors.New("truncated protobuf message")

// readVarint decodes a varint at the start of data and returns it with the
// number of bytes it took.
func readVarint(data []byte) (uint64, int, error) {
	var v uint64
	for i := 0; i < len(data) && i < 10; i++ {
		v |= uint64(data[i]&0x7f) << (7 * uint(i))
		if data[i] < 0x80 {
			return v, i + 1, nil
		}
	}
	return 0, 0, errTruncated
}

// stringField returns the last occurrence of a string field, skipping every
// other field.
func stringField(data []byte, number int) (string, error) {
	var result string
	for len(data) > 0 {
		tag, n, err := readVarint(data)
		if err != nil {
			return "", err
		}
		data = data[n:]
		field, wireType := int(tag>>3), int(tag&7)
		switch wireType {
		case 0:
			if _, n, err = readVarint(data); err != nil {
				return "", err
			}
		case 1:
			n = 8
		case 2:
			length, m, err := readVarint(data)
			if err != nil || uint64(len(data)-m) < length {
				return "", errTruncated
			}
			if field == number {
				result = string(data[m : m+int(length)])
			}
			n = m + int(length)
		case 5:
			n = 4
		default:
			return "", fmt.Errorf("unsupported wire type %d", wireType)
		}
		if n > len(data) {
			return "", errTruncated
		}
		data = data[n:]
	}
	return result, nil
}
