package sqlitestore

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sipas/sipas/surveys"
)

// Group commit limits. A batch closes at maxBatch responses; the writer
// waits up to maxWait for more only while callers are known to be on their
// way (they entered InsertResponses but their request has not arrived), so
// a lone request is written at once.
const (
	maxBatch = 256
	maxWait  = time.Millisecond
)

// insertReq is one InsertResponses call waiting for the writer.
type insertReq struct {
	ctx  context.Context
	rs   []surveys.Response
	done chan insertResult // buffered: the writer never blocks on a caller
}

type insertResult struct {
	fresh []bool
	err   error
}

// writer owns the write connection for responses: it gathers queued
// requests into one transaction and answers each after the commit.
type writer struct {
	s    *Store
	reqs chan *insertReq

	// mu guards closed; senders hold it for reading, so close waits for
	// every send in progress and no send happens on a closed channel.
	mu     sync.RWMutex
	closed bool

	// coming counts callers that have announced a request the writer has
	// not received yet.
	coming atomic.Int64

	stopped chan struct{}
}

func newWriter(s *Store) *writer {
	return &writer{s: s, reqs: make(chan *insertReq, maxBatch), stopped: make(chan struct{})}
}

// submit hands rs to the writer and waits for the outcome or for ctx.
// Once the request is queued it is written even if ctx ends meanwhile
// (unless the writer sees ctx done before starting its batch); the caller
// then gets ctx's error but a committed response stays committed.
func (w *writer) submit(ctx context.Context, rs []surveys.Response) ([]bool, error) {
	req := &insertReq{ctx: ctx, rs: rs, done: make(chan insertResult, 1)}
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return nil, surveys.Errorf(surveys.EUNAVAILABLE, "the store is closed")
	}
	w.coming.Add(1)
	select {
	case w.reqs <- req:
	case <-ctx.Done():
		w.coming.Add(-1)
		w.mu.RUnlock()
		return nil, dbError(ctx.Err(), "the database is busy")
	}
	w.mu.RUnlock()

	select {
	case res := <-req.done:
		return res.fresh, res.err
	case <-ctx.Done():
		return nil, dbError(ctx.Err(), "the database is busy")
	}
}

// run is the writer goroutine. It returns once the request channel is
// closed and drained.
func (w *writer) run() {
	defer close(w.stopped)
	for {
		req, ok := <-w.reqs
		if !ok {
			return
		}
		w.coming.Add(-1)
		batch := w.gather(req)
		w.commit(batch)
	}
}

// gather collects whatever is already queued after first, and waits
// briefly for callers known to be coming.
func (w *writer) gather(first *insertReq) []*insertReq {
	batch := []*insertReq{first}
	n := len(first.rs)
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for n < maxBatch {
		select {
		case req, ok := <-w.reqs:
			if !ok {
				return batch
			}
			w.coming.Add(-1)
			batch = append(batch, req)
			n += len(req.rs)
			continue
		default:
		}
		if w.coming.Load() <= 0 {
			return batch
		}
		if timer == nil {
			timer = time.NewTimer(maxWait)
		}
		select {
		case req, ok := <-w.reqs:
			if !ok {
				return batch
			}
			w.coming.Add(-1)
			batch = append(batch, req)
			n += len(req.rs)
		case <-timer.C:
			return batch
		}
	}
	return batch
}

// commit writes a batch in one transaction and answers every request in
// it. Requests whose caller has already given up are answered with their
// context's error and left out.
func (w *writer) commit(batch []*insertReq) {
	live := batch[:0:0]
	for _, req := range batch {
		if err := req.ctx.Err(); err != nil {
			req.done <- insertResult{err: dbError(err, "the database is busy")}
			continue
		}
		live = append(live, req)
	}
	if len(live) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	fresh, err := w.s.insertBatch(ctx, live)
	if err != nil {
		w.s.log.Error("storing responses failed", "requests", len(live), "err", err)
		err = dbError(err, "the responses could not be stored")
	}
	for i, req := range live {
		if err != nil {
			req.done <- insertResult{err: err}
			continue
		}
		req.done <- insertResult{fresh: fresh[i]}
	}
}

// close stops accepting requests, lets the queued ones be written, and
// waits for the goroutine to end.
func (w *writer) close() {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.reqs)
	}
	w.mu.Unlock()
	<-w.stopped
}
