package surveys

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed definitions/*.json
var embedded embed.FS

// Registry holds every loaded definition, by id.
type Registry struct {
	byID map[string]*Definition
	ids  []string
}

// LoadEmbedded loads and validates every definition shipped in the binary.
func LoadEmbedded() (*Registry, error) {
	return LoadFS(embedded, "definitions")
}

// LoadFS loads and validates every *.json definition in dir of fsys.
func LoadFS(fsys fs.FS, dir string) (*Registry, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read survey definitions: %w", err)
	}
	r := &Registry{byID: make(map[string]*Definition)}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", e.Name(), err)
		}
		d, err := Parse(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		if want := strings.TrimSuffix(e.Name(), ".json"); d.ID != want {
			return nil, fmt.Errorf("%s: id %q does not match the file name", e.Name(), d.ID)
		}
		if _, dup := r.byID[d.ID]; dup {
			return nil, fmt.Errorf("%s: duplicate id %q", e.Name(), d.ID)
		}
		r.byID[d.ID] = d
		r.ids = append(r.ids, d.ID)
	}
	if len(r.ids) == 0 {
		return nil, fmt.Errorf("no survey definitions in %s", dir)
	}
	sort.Strings(r.ids)
	return r, nil
}

// Parse decodes one definition strictly (unknown fields are errors) and
// validates it.
func Parse(b []byte) (*Definition, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var d Definition
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return &d, nil
}

// Get returns the definition with id.
func (r *Registry) Get(id string) (*Definition, bool) {
	d, ok := r.byID[id]
	return d, ok
}

// IDs returns the ids of every definition, sorted.
func (r *Registry) IDs() []string { return append([]string(nil), r.ids...) }

// Default is the id of the default questionnaire.
const Default = "sipas-2022"
