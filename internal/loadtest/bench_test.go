package loadtest

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// benchParallelism is goroutines per GOMAXPROCS in the parallel
// benchmarks: enough submissions in flight for the store's group commit
// to matter, as at a busy office (16 on 2 CPUs).
const benchParallelism = 8

// BenchmarkSubmitAPI posts generated responses through the real server in
// this process, on a fresh SQLite store, from many goroutines at once.
// Every op is one acknowledged, durable submission.
func BenchmarkSubmitAPI(b *testing.B) {
	srv, st := startAPI(b)
	_, def, err := registry()
	if err != nil {
		b.Fatal(err)
	}
	client := newClient(benchParallelism*64, requestTimeout, false)
	defer client.CloseIdleConnections()
	endpoint := srv.url + "/api/v1/responses"
	var seed atomic.Uint64
	var ok atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(benchParallelism)
	b.RunParallel(func(pb *testing.PB) {
		fire := postShot(client, endpoint, def, newGen(def, "", seed.Add(1)))
		for pb.Next() {
			if _, good, _ := fire(context.Background()); !good {
				b.Error("a submission failed")
				return
			}
			ok.Add(1)
		}
	})
	b.StopTimer()
	if n := countAll(b, st); n != ok.Load() {
		b.Errorf("%d responses stored, want %d", n, ok.Load())
	}
}

// BenchmarkFormShow renders the citizen form through the real server; read
// it beside BenchmarkBareFiber (issue 7: at least half as fast).
func BenchmarkFormShow(b *testing.B) {
	srv, st := startAPI(b)
	if err := ensureCounter(b.Context(), st); err != nil {
		b.Fatal(err)
	}
	benchGET(b, srv.url+"/s/"+FormCounter)
}

// BenchmarkBareFiber is the yardstick: a Fiber handler returning a
// constant, served and fetched the same way.
func BenchmarkBareFiber(b *testing.B) {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/", func(c *fiber.Ctx) error { return c.SendString("ok") })
	srv, err := serve(b.Context(), app, "/")
	if err != nil {
		b.Fatal(err)
	}
	defer srv.stop()
	benchGET(b, srv.url+"/")
}

func benchGET(b *testing.B, url string) {
	client := newClient(benchParallelism*64, requestTimeout, false)
	defer client.CloseIdleConnections()
	b.ReportAllocs()
	b.SetParallelism(benchParallelism)
	b.RunParallel(func(pb *testing.PB) {
		fire := getShot(client, url)
		for pb.Next() {
			if _, good, _ := fire(context.Background()); !good {
				b.Error("a request failed")
				return
			}
		}
	})
}
