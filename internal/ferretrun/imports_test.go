package ferretrun

import (
	"os/exec"
	"strings"
	"testing"
)

const (
	module = "github.com/sipas/sipas"
	self   = module + "/internal/ferretrun"
)

func linksFerretDB(imp string) bool {
	return imp == self || strings.HasPrefix(imp, "github.com/FerretDB/FerretDB")
}

func goList(t *testing.T, args ...string) []string {
	t.Helper()
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	out, err := exec.Command(gocmd, append([]string{"list", "-e"}, args...)...).Output()
	if err != nil {
		t.Fatalf("go list %v: %v", args, err)
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

// TestOnlyTestsImportFerretDB keeps FerretDB out of the production
// binary: it must not be among the binary's dependencies, and no library
// package's non-test code may import FerretDB or this package (test
// helper commands under cmd/ may).
func TestOnlyTestsImportFerretDB(t *testing.T) {
	for _, dep := range goList(t, "-deps", module+"/cmd/sipas") {
		if linksFerretDB(dep) {
			t.Errorf("the sipas binary links %s", dep)
		}
	}
	for _, line := range goList(t, "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", module+"/...") {
		fields := strings.Fields(line)
		if len(fields) == 0 || fields[0] == self || strings.HasPrefix(fields[0], module+"/cmd/") {
			continue
		}
		for _, imp := range fields[1:] {
			if linksFerretDB(imp) {
				t.Errorf("%s imports %s outside its tests", fields[0], imp)
			}
		}
	}
}
