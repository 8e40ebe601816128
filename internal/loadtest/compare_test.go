package loadtest

import (
	"testing"
)

func TestCompare(t *testing.T) {
	dir := t.TempDir()
	opt := CompareOptions{Data: dir, Duration: testDuration, Concurrency: testConcurrency, Logger: discard}
	res, err := Compare(t.Context(), opt)
	if err != nil {
		t.Fatal(err)
	}
	checkSane(t, "raw", res.Raw)
	checkSane(t, "api", res.API)
	if res.StoredBefore != 0 {
		t.Errorf("stored_before = %d in a fresh directory", res.StoredBefore)
	}
	if sum := res.Raw.OK + res.API.OK; res.Stored != sum {
		t.Errorf("stored = %d, want raw.ok + api.ok = %d", res.Stored, sum)
	}

	// Again on the same directory: what was there is reported, not counted.
	again, err := Compare(t.Context(), CompareOptions{Data: dir, Duration: 100 * testDuration / 300, Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	if again.StoredBefore != res.Stored {
		t.Errorf("second run: stored_before = %d, want %d", again.StoredBefore, res.Stored)
	}
	if sum := again.Raw.OK + again.API.OK; again.Stored != sum {
		t.Errorf("second run: stored = %d, want %d", again.Stored, sum)
	}
}

func TestCompareForm(t *testing.T) {
	res, err := CompareForm(t.Context(), CompareOptions{Data: t.TempDir(), Duration: testDuration, Concurrency: testConcurrency})
	if err != nil {
		t.Fatal(err)
	}
	checkSane(t, "bare", res.Bare)
	checkSane(t, "form", res.Form)
	if res.Ratio <= 0 {
		t.Errorf("ratio = %v, want > 0", res.Ratio)
	}
}

func TestCompareNeedsData(t *testing.T) {
	if _, err := Compare(t.Context(), CompareOptions{Duration: testDuration, Concurrency: 1}); err == nil {
		t.Error("Compare without a data directory accepted")
	}
}
