// The load mode: a bounded closed-loop unary load, summarised as JSON.

package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/bits"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

type loadResult struct {
	Requests      int64            `json:"requests"`
	Errors        int64            `json:"errors"`
	Seconds       float64          `json:"seconds"`
	RPS           float64          `json:"rps"`
	Concurrency   int              `json:"concurrency"`
	Connections   int              `json:"connections"`
	Codes         map[string]int64 `json:"codes"`
	LatencyMicros latencySummary   `json:"latencyMicros"`
}

type latencySummary struct {
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
}

func runLoad(args []string) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	var c commonFlags
	c.register(fs)
	concurrency := fs.Int("c", 10, "concurrent workers, each with one call in flight")
	connections := fs.Int("connections", 1, "HTTP/2 connections the workers are spread over")
	total := fs.Int64("n", 0, "stop after this many requests (max 100000000)")
	duration := fs.Duration("z", 0, "stop after this long, e.g. 2s (max 10m)")
	timeout := fs.Duration("timeout", 5*time.Second, "deadline of each call, and of connecting")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if err := c.validate(); err != nil {
		return err
	}
	switch {
	case *total <= 0 && *duration <= 0:
		return usageError{"give -n, -z or both; a load run is always bounded"}
	case *total > maxRequests:
		return usageError{fmt.Sprintf("-n is at most %d", maxRequests)}
	case *duration > maxDuration:
		return usageError{fmt.Sprintf("-z is at most %v", maxDuration)}
	case *concurrency < 1 || *connections < 1:
		return usageError{"-c and --connections must be at least 1"}
	}
	if *duration <= 0 {
		*duration = maxDuration
	}
	if *total <= 0 {
		*total = maxRequests
	}
	payloads, err := c.payloads()
	if err != nil {
		return err
	}
	if len(payloads) != 1 {
		return usageError{"load sends one request message; give one --data-hex"}
	}
	md, err := c.metadata()
	if err != nil {
		return err
	}

	conns := make([]*grpc.ClientConn, *connections)
	for i := range conns {
		if conns[i], err = dial(&c, *timeout); err != nil {
			return err
		}
		defer conns[i].Close()
	}

	request := &rawMessage{data: payloads[0]}
	base := metadata.NewOutgoingContext(context.Background(), md)
	deadline := time.Now().Add(*duration)
	var issued int64
	workers := make([]*workerStats, *concurrency)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		stats := newWorkerStats()
		workers[w] = stats
		conn := conns[w%len(conns)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			var response rawMessage
			for atomic.AddInt64(&issued, 1) <= *total {
				began := time.Now()
				if !began.Before(deadline) {
					return
				}
				ctx, cancel := context.WithTimeout(base, *timeout)
				err := conn.Invoke(ctx, c.method, request, &response)
				cancel()
				stats.record(status.Code(err), time.Since(began))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()

	result := loadResult{Seconds: elapsed, Concurrency: *concurrency, Connections: *connections, Codes: map[string]int64{}}
	merged := newWorkerStats()
	for _, s := range workers {
		merged.merge(s)
	}
	for code, n := range merged.codes {
		result.Codes[codeName(code)] += n
		result.Requests += n
		if code != codes.OK {
			result.Errors += n
		}
	}
	if elapsed > 0 {
		result.RPS = float64(result.Requests) / elapsed
	}
	result.LatencyMicros = merged.summary()
	out, _ := json.Marshal(result)
	fmt.Println(string(out))
	return nil
}

// workerStats counts one worker's results. Latencies go into log-linear
// buckets (64 per power of two, so a percentile is at most 1.6% low) and
// memory stays fixed however long the run.
type workerStats struct {
	codes   map[codes.Code]int64
	buckets []int64
	max     time.Duration
	sum     time.Duration
	count   int64
}

// Values below 128 µs have a bucket each; above, every power of two is split
// into 64 buckets.
const (
	exactBuckets = 128
	subBuckets   = 64
	bucketCount  = exactBuckets + (64-7)*subBuckets
)

func newWorkerStats() *workerStats {
	return &workerStats{codes: map[codes.Code]int64{}, buckets: make([]int64, bucketCount)}
}

// bucketOf returns the bucket of a latency in microseconds.
func bucketOf(micros int64) int {
	if micros < exactBuckets {
		if micros < 0 {
			return 0
		}
		return int(micros)
	}
	exp := bits.Len64(uint64(micros)) - 1  // >= 7
	mantissa := int(micros >> uint(exp-6)) // in [64, 128)
	return exactBuckets + (exp-7)*subBuckets + mantissa - subBuckets
}

// valueOf returns the lowest latency, in microseconds, of a bucket.
func valueOf(bucket int) int64 {
	if bucket < exactBuckets {
		return int64(bucket)
	}
	group := (bucket - exactBuckets) / subBuckets
	mantissa := int64((bucket-exactBuckets)%subBuckets + subBuckets)
	return mantissa << uint(group+1)
}

func (s *workerStats) record(code codes.Code, latency time.Duration) {
	s.codes[code]++
	s.count++
	s.sum += latency
	if latency > s.max {
		s.max = latency
	}
	b := bucketOf(latency.Microseconds())
	if b >= len(s.buckets) {
		b = len(s.buckets) - 1
	}
	s.buckets[b]++
}

func (s *workerStats) merge(other *workerStats) {
	for code, n := range other.codes {
		s.codes[code] += n
	}
	for i, n := range other.buckets {
		s.buckets[i] += n
	}
	if other.max > s.max {
		s.max = other.max
	}
	s.sum += other.sum
	s.count += other.count
}

func (s *workerStats) summary() latencySummary {
	if s.count == 0 {
		return latencySummary{}
	}
	percentile := func(p float64) float64 {
		rank := int64(math.Ceil(p / 100 * float64(s.count)))
		var seen int64
		for i, n := range s.buckets {
			seen += n
			if seen >= rank {
				return float64(valueOf(i))
			}
		}
		return float64(s.max.Microseconds())
	}
	return latencySummary{
		P50:  percentile(50),
		P90:  percentile(90),
		P99:  percentile(99),
		Max:  float64(s.max.Microseconds()),
		Mean: math.Round(float64(s.sum.Microseconds())/float64(s.count)*10) / 10,
	}
}
