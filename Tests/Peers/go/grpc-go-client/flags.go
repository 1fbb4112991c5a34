// Flags shared by the call and load modes, and connecting.

package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"flag"
	"fmt"
	"io/ioutil"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/encoding/gzip"
	"google.golang.org/grpc/metadata"
)

// headerList collects repeated -H "name: value" flags.
type headerList []string

func (h *headerList) String() string     { return strings.Join(*h, ", ") }
func (h *headerList) Set(v string) error { *h = append(*h, v); return nil }

// payloadList collects repeated --data-hex flags.
type payloadList []string

func (p *payloadList) String() string     { return strings.Join(*p, ",") }
func (p *payloadList) Set(v string) error { *p = append(*p, v); return nil }

type commonFlags struct {
	addr       string
	method     string
	headers    headerList
	dataHex    payloadList
	dataFile   string
	tls        bool
	caFile     string
	certFile   string
	keyFile    string
	serverName string
	insecure   bool
	gzip       bool
	authority  string
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.addr, "addr", "", "server address, host:port (required)")
	fs.StringVar(&c.method, "method", "", "method path, /package.Service/Method (required)")
	fs.Var(&c.headers, "H", "request metadata \"name: value\"; repeatable; a -bin name takes base64")
	fs.Var(&c.dataHex, "data-hex", "a request message as hex; repeat for several messages (default: one empty message)")
	fs.StringVar(&c.dataFile, "data-file", "", "read one request message (raw bytes) from this file")
	fs.BoolVar(&c.tls, "tls", false, "use TLS (implied by --tls-ca and --tls-cert)")
	fs.StringVar(&c.caFile, "tls-ca", "", "PEM CA bundle that signs the server certificate (default: system roots)")
	fs.StringVar(&c.certFile, "tls-cert", "", "PEM client certificate for mTLS")
	fs.StringVar(&c.keyFile, "tls-key", "", "PEM private key for --tls-cert")
	fs.StringVar(&c.serverName, "server-name", "", "name to verify in the server certificate (default: the host of --addr)")
	fs.BoolVar(&c.insecure, "insecure-skip-verify", false, "accept any server certificate")
	fs.BoolVar(&c.gzip, "gzip", false, "compress request messages with gzip")
	fs.StringVar(&c.authority, "authority", "", "value of the :authority header (default: --addr)")
}

func (c *commonFlags) validate() error {
	if c.addr == "" || c.method == "" {
		return usageError{"--addr and --method are required"}
	}
	if !strings.HasPrefix(c.method, "/") {
		c.method = "/" + c.method
	}
	if strings.Count(c.method, "/") != 2 {
		return usageError{fmt.Sprintf("--method %q: want /package.Service/Method", c.method)}
	}
	if (c.certFile == "") != (c.keyFile == "") {
		return usageError{"--tls-cert and --tls-key go together"}
	}
	if len(c.dataHex) > 0 && c.dataFile != "" {
		return usageError{"use --data-hex or --data-file, not both"}
	}
	return nil
}

// payloads returns the request messages.
func (c *commonFlags) payloads() ([][]byte, error) {
	if c.dataFile != "" {
		b, err := ioutil.ReadFile(c.dataFile)
		if err != nil {
			return nil, err
		}
		return [][]byte{b}, nil
	}
	if len(c.dataHex) == 0 {
		return [][]byte{{}}, nil
	}
	var out [][]byte
	for _, h := range c.dataHex {
		b, err := hex.DecodeString(strings.TrimSpace(h))
		if err != nil {
			return nil, usageError{fmt.Sprintf("--data-hex %q: %v", h, err)}
		}
		out = append(out, b)
	}
	return out, nil
}

func (c *commonFlags) metadata() (metadata.MD, error) {
	md := metadata.MD{}
	for _, h := range c.headers {
		i := strings.Index(h, ":")
		if i <= 0 {
			return nil, usageError{fmt.Sprintf("-H %q: want \"name: value\"", h)}
		}
		name := strings.ToLower(strings.TrimSpace(h[:i]))
		value := strings.TrimSpace(h[i+1:])
		if strings.HasSuffix(name, "-bin") {
			raw, err := base64.StdEncoding.DecodeString(value)
			if err != nil {
				if raw, err = base64.RawStdEncoding.DecodeString(value); err != nil {
					return nil, usageError{fmt.Sprintf("-H %q: a -bin value must be base64", h)}
				}
			}
			value = string(raw)
		}
		md.Append(name, value)
	}
	return md, nil
}

func (c *commonFlags) dialOptions() ([]grpc.DialOption, error) {
	opts := []grpc.DialOption{
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(64<<20), grpc.MaxCallSendMsgSize(64<<20)),
	}
	if c.authority != "" {
		opts = append(opts, grpc.WithAuthority(c.authority))
	}
	if c.gzip {
		opts = append(opts, grpc.WithDefaultCallOptions(grpc.UseCompressor(gzip.Name)))
	}
	if !c.tls && c.caFile == "" && c.certFile == "" && !c.insecure {
		return append(opts, grpc.WithInsecure()), nil
	}
	config := &tls.Config{ServerName: c.serverName, InsecureSkipVerify: c.insecure, MinVersion: tls.VersionTLS12}
	if c.caFile != "" {
		pem, err := ioutil.ReadFile(c.caFile)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s: no PEM certificates", c.caFile)
		}
		config.RootCAs = pool
	}
	if c.certFile != "" {
		cert, err := tls.LoadX509KeyPair(c.certFile, c.keyFile)
		if err != nil {
			return nil, err
		}
		config.Certificates = []tls.Certificate{cert}
	}
	return append(opts, grpc.WithTransportCredentials(credentials.NewTLS(config))), nil
}

// dial connects and waits until the connection is ready or the timeout ends.
func dial(c *commonFlags, timeout time.Duration) (*grpc.ClientConn, error) {
	opts, err := c.dialOptions()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	conn, err := grpc.DialContext(ctx, c.addr, append(opts, grpc.WithBlock())...)
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %v", c.addr, err)
	}
	return conn, nil
}
