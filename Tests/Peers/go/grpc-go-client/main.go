// Command grpc-go-client is an independent gRPC client for polarisctl's
// interop tests and benchmarks, built on grpc-go. Messages are raw bytes:
// the caller supplies encoded requests, and responses are printed as hex.
//
//	grpc-go-client call --addr HOST:PORT --method /pkg.Svc/Method [flags]
//	    Makes one call and prints one JSON object:
//	    {"code":0,"codeName":"OK","message":"","headers":{...},
//	     "trailers":{...},"responses":["<hex>",...],"seconds":0.001}
//	    Exit status 0 whatever the gRPC status (an unreachable server is
//	    UNAVAILABLE); 1 for unreadable files; 2 for bad flags.
//
//	grpc-go-client load --addr HOST:PORT --method /pkg.Svc/Method (-n N | -z DUR) [flags]
//	    A closed-loop unary load: -c workers share --connections
//	    connections, each sending its next request as soon as the last
//	    one ends, until -n requests were sent or -z elapsed (whichever
//	    comes first). Prints one JSON object:
//	    {"requests":N,"errors":E,"seconds":S,"rps":R,"codes":{...},
//	     "latencyMicros":{"p50":...,"p90":...,"p99":...,"max":...}}
//	    "requests" counts finished calls, errors included.
//
// Run either mode with -h for every flag.
package main

import (
	"errors"
	"fmt"
	"os"
	"time"
)

// The longest a load run may last, and the most requests it may send.
const (
	maxDuration = 10 * time.Minute
	maxRequests = 100_000_000
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "call":
		err = runCall(os.Args[2:])
	case "load":
		err = runLoad(os.Args[2:])
	case "-h", "--help", "help":
		usage()
	default:
		fmt.Fprintf(os.Stderr, "grpc-go-client: unknown mode %q\n", os.Args[1])
		usage()
	}
	if err != nil {
		var usageErr usageError
		fmt.Fprintln(os.Stderr, "grpc-go-client:", err)
		if errors.As(err, &usageErr) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: grpc-go-client call|load --addr HOST:PORT --method /pkg.Svc/Method [flags]  (-h after the mode lists flags)")
	os.Exit(2)
}

type usageError struct{ message string }

func (e usageError) Error() string { return e.message }
