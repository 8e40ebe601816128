package qrcode

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"strings"
	"testing"

	qr "github.com/skip2/go-qrcode"
)

const url = "https://khaosat.example.gov.vn/s/mot-cua-01"

func TestPNG(t *testing.T) {
	b, err := PNG(url, 256)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if got := img.Bounds().Dx(); got != 256 {
		t.Errorf("width = %d, want 256", got)
	}
}

func TestSVGWellFormed(t *testing.T) {
	b, err := SVG(url)
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	var root string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, b)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		t.Errorf("root element = %q, want svg", root)
	}
	if !strings.Contains(string(b), "M") {
		t.Error("no dark modules drawn")
	}
}

// TestSVGMatchesBitmap redraws the path onto a grid and compares it with
// the bitmap the PNG is drawn from.
func TestSVGMatchesBitmap(t *testing.T) {
	b, _ := SVG(url)
	s := string(b)
	d := s[strings.Index(s, ` d="`)+4:]
	d = d[:strings.Index(d, `"`)]
	dark := map[[2]int]bool{}
	for _, seg := range strings.Split(d, "z") {
		if seg == "" {
			continue
		}
		var x, y, w, w2 int
		if _, err := fmt.Sscanf(seg, "M%d %dh%dv1h-%d", &x, &y, &w, &w2); err != nil {
			t.Fatalf("segment %q: %v", seg, err)
		}
		for i := x; i < x+w; i++ {
			dark[[2]int{i, y}] = true
		}
	}
	count := 0
	q, err := qr.New(url, level)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range q.Bitmap() {
		for _, v := range row {
			if v {
				count++
			}
		}
	}
	if len(dark) != count {
		t.Errorf("svg has %d dark modules, bitmap %d", len(dark), count)
	}
}
