package httpserver

import (
	"context"
	"errors"
	"sync"

	"github.com/sipas/sipas/internal/storetest"
	"github.com/sipas/sipas/surveys"
)

// The public side asks for a subset of the store contract.
var _ Store = storetest.Store(nil)

// fakeStore is an in-memory Store for handler tests: idempotent by id and
// safe for concurrent use. Real stores are tested by internal/storetest.
type fakeStore struct {
	mu        sync.Mutex
	responses map[string]surveys.Response
	order     []string
	counters  []surveys.Counter
	divisions []surveys.Division
	pingErr   error
	insertErr error
}

var _ Store = (*fakeStore)(nil)

func newFakeStore() *fakeStore {
	procs := []surveys.Procedure{
		{Code: "dkkd", Name: surveys.Text{VI: "Đăng ký kinh doanh", EN: "Business registration"}},
		{Code: "gpbl", Name: surveys.Text{VI: "Cấp giấy phép bán lẻ rượu", EN: "Alcohol retail licence"}},
		{Code: "atvs", Name: surveys.Text{VI: "Chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", EN: "Food safety certificate"}},
		{Code: "xnk", Name: surveys.Text{VI: "Cấp chứng nhận xuất xứ hàng hóa", EN: "Certificate of origin"}},
		{Code: "dien", Name: surveys.Text{VI: "Cấp giấy phép hoạt động điện lực", EN: "Electricity operation licence"}},
	}
	return &fakeStore{
		responses: map[string]surveys.Response{},
		counters: []surveys.Counter{
			{Code: "mot-cua-01", Name: surveys.Text{VI: "Quầy số 1 — Sở Công Thương", EN: "Counter 1 — Department of Industry and Trade"},
				Division: "vp", Procedures: procs, Active: true},
			{Code: "dong-cua", Name: surveys.Text{VI: "Quầy đã đóng", EN: "Closed counter"}, Division: "vp"},
		},
		divisions: []surveys.Division{{Code: "vp", Name: surveys.Text{VI: "Văn phòng Sở", EN: "Department Office"}}},
	}
}

func (f *fakeStore) InsertResponses(ctx context.Context, rs []surveys.Response) ([]bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.insertErr != nil {
		return nil, f.insertErr
	}
	out := make([]bool, len(rs))
	for i, r := range rs {
		if _, dup := f.responses[r.ID]; dup {
			continue
		}
		f.responses[r.ID] = r
		f.order = append(f.order, r.ID)
		out[i] = true
	}
	return out, nil
}

func (f *fakeStore) Counter(ctx context.Context, code string) (surveys.Counter, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.counters {
		if c.Code == code {
			return c, nil
		}
	}
	return surveys.Counter{}, surveys.Errorf(surveys.ENOTFOUND, "counter %s not found", code)
}

func (f *fakeStore) Counters(ctx context.Context) ([]surveys.Counter, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]surveys.Counter(nil), f.counters...), nil
}

func (f *fakeStore) Divisions(ctx context.Context) ([]surveys.Division, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]surveys.Division(nil), f.divisions...), nil
}

func (f *fakeStore) Ping(ctx context.Context) error {
	f.mu.Lock()
	err := f.pingErr
	f.mu.Unlock()
	return err
}

// stored returns every stored response in insertion order.
func (f *fakeStore) stored() []surveys.Response {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]surveys.Response, 0, len(f.order))
	for _, id := range f.order {
		out = append(out, f.responses[id])
	}
	return out
}

var errDown = errors.New("dial tcp 10.0.0.7:27017: connection refused")
