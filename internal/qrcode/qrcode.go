// Package qrcode draws the QR codes printed at counters, as PNG and as SVG.
// It uses medium error correction (about 15% of the symbol can be lost):
// enough for a slightly worn or glossy poster, still few modules for a
// short URL so that cheap phone cameras read it from a distance.
package qrcode

import (
	"bytes"
	"fmt"

	qr "github.com/skip2/go-qrcode"
)

// level is the error correction level of every code we draw.
const level = qr.Medium

// PNG returns a size×size pixel PNG of a QR code for content. A size of
// 256 or more prints sharply on A5.
func PNG(content string, size int) ([]byte, error) {
	b, err := qr.Encode(content, level, size)
	if err != nil {
		return nil, fmt.Errorf("qrcode: encode png: %w", err)
	}
	return b, nil
}

// SVG returns a scalable QR code for content: one <path> of dark modules
// over a white square, quiet zone included, one user unit per module. It
// is drawn by us from the bitmap so that posters print at any size with
// no raster blur.
func SVG(content string) ([]byte, error) {
	q, err := qr.New(content, level)
	if err != nil {
		return nil, fmt.Errorf("qrcode: encode svg: %w", err)
	}
	bm := q.Bitmap() // includes the 4-module quiet zone
	n := len(bm)
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges" role="img">`, n, n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y, row := range bm {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			// One horizontal run of dark modules as a 1-high rectangle.
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", start, y, x-start, x-start)
		}
	}
	b.WriteString(`"/></svg>`)
	return b.Bytes(), nil
}
