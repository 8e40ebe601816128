package scoring

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportsStayInTheCentre: scoring is pure; it may import the standard
// library and surveys, nothing else (no web framework, no database driver).
func TestImportsStayInTheCentre(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	seen := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		seen++
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(path, "/")
			if path != "github.com/sipas/sipas/surveys" && strings.Contains(first, ".") {
				t.Errorf("%s imports %s: scoring may use only the standard library and surveys", name, path)
			}
		}
	}
	if seen == 0 {
		t.Fatal("no Go files found")
	}
}
