package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/sipas/sipas/surveys"
)

// Harness tells the suite how to get databases from one store
// implementation.
type Harness struct {
	// Open returns a store on a fresh, empty database; every call gets
	// its own database.
	Open func(t *testing.T) Store
	// Reopen closes old and opens the same database again. Nil skips the
	// persistence test.
	Reopen func(t *testing.T, old Store) Store
	// InsertWithoutRollup stores r as InsertResponses would but leaves the
	// rollups alone, as a crash between the two writes would. Nil skips
	// the healing test.
	InsertWithoutRollup func(t *testing.T, s Store, r surveys.Response)
}

// callTimeout bounds every store call of the suite. It is generous: the
// MongoDB store's tests run against FerretDB, which uses no index.
const callTimeout = 2 * time.Minute

// Run runs the conformance suite, each test as a subtest on its own fresh
// database.
func Run(t *testing.T, h Harness) {
	tests := []struct {
		name string
		fn   func(t *testing.T, h Harness)
	}{
		{"InsertAndRead", testInsertAndRead},
		{"ReplayIsIdempotent", testReplay},
		{"BatchWithDuplicateID", testBatchDuplicate},
		{"ConcurrentReplays", testConcurrentReplays},
		{"ConcurrentInserts", testConcurrentInserts},
		{"ResponseNotFound", testResponseNotFound},
		{"FilterAndOrder", testFilterAndOrder},
		{"EachResponseStops", testEachResponseStops},
		{"Reopen", testReopen},
		{"RollupsMatchResponses", testRollupsMatch},
		{"RollupDayBoundary", testRollupDayBoundary},
		{"HealRollups", testHealRollups},
		{"PurgeComments", testPurgeComments},
		{"RecentComments", testRecentComments},
		{"SetFlag", testSetFlag},
		{"MergeRollups", testMergeRollups},
		{"MergeAfterHeal", testMergeAfterHeal},
		{"MergeRollupsBy", testMergeRollupsBy},
		{"MergeRollupsByInto", testMergeRollupsByInto},
		{"MergeByAfterHeal", testMergeByAfterHeal},
		{"ResponseFlags", testFlags},
		{"Users", testUsers},
		{"Sessions", testSessions},
		{"Devices", testDevices},
		{"Audit", testAudit},
		{"Divisions", testDivisions},
		{"Counters", testCounters},
		{"Baselines", testBaselines},
		{"Meta", testMeta},
		{"Ping", testPing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, h) })
	}
}

// storeRef holds the store a test is using, so that the cleanup closes
// the current one even after a Reopen.
type storeRef struct{ s Store }

func open(t *testing.T, h Harness) *storeRef {
	t.Helper()
	ref := &storeRef{s: h.Open(t)}
	t.Cleanup(func() {
		if err := ref.s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return ref
}

// ctx returns a context for one store call, ended with the test.
func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(t.Context(), callTimeout)
	t.Cleanup(cancel)
	return c
}

func insert(t *testing.T, s Store, rs ...surveys.Response) []bool {
	t.Helper()
	fresh, err := s.InsertResponses(ctx(t), rs)
	if err != nil {
		t.Fatalf("InsertResponses: %v", err)
	}
	if len(fresh) != len(rs) {
		t.Fatalf("InsertResponses returned %d results for %d responses", len(fresh), len(rs))
	}
	return fresh
}

func count(t *testing.T, s Store, f surveys.ResponseFilter) int64 {
	t.Helper()
	n, err := s.CountResponses(ctx(t), f)
	if err != nil {
		t.Fatalf("CountResponses(%+v): %v", f, err)
	}
	return n
}

func all(t *testing.T, s Store, f surveys.ResponseFilter) []surveys.Response {
	t.Helper()
	var out []surveys.Response
	err := s.EachResponse(ctx(t), f, func(r *surveys.Response) error {
		out = append(out, *r)
		return nil
	})
	if err != nil {
		t.Fatalf("EachResponse(%+v): %v", f, err)
	}
	return out
}
