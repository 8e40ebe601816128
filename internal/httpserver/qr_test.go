package httpserver

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestQR(t *testing.T) {
	env := newTestEnv(t, Config{BaseURL: "https://khaosat.example.gov.vn"})

	resp, body := env.get(t, "/s/mot-cua-01/qr.png")
	wantStatus(t, resp, body, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); ct != "image/png" {
		t.Errorf("png Content-Type = %q", ct)
	}
	if !strings.HasPrefix(body, "\x89PNG\r\n\x1a\n") {
		t.Error("no PNG signature")
	}
	if _, err := png.Decode(strings.NewReader(body)); err != nil {
		t.Errorf("png does not decode: %v", err)
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age") {
		t.Errorf("png Cache-Control = %q", cc)
	}

	resp, body = env.get(t, "/s/mot-cua-01/qr.svg")
	wantStatus(t, resp, body, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); ct != "image/svg+xml" {
		t.Errorf("svg Content-Type = %q", ct)
	}
	dec := xml.NewDecoder(strings.NewReader(body))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("svg is not well-formed: %v", err)
		}
	}

	resp, body = env.get(t, "/s/khong-co/qr.png")
	wantStatus(t, resp, body, http.StatusNotFound)
}

func TestPoster(t *testing.T) {
	env := newTestEnv(t, Config{BaseURL: "https://khaosat.example.gov.vn"})
	resp, body := env.get(t, "/s/mot-cua-01/poster")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, body, "Quầy số 1 — Sở Công Thương", "Văn phòng Sở", "<svg", "@page{size:A4 portrait",
		"Quét mã QR để đánh giá mức độ hài lòng của ông/bà — chỉ mất một phút, không cần cung cấp thông tin cá nhân",
		"Scan the QR code", "https://khaosat.example.gov.vn/s/mot-cua-01")
	_, body = env.get(t, "/s/mot-cua-01/poster?size=a5")
	wantContains(t, body, "@page{size:A5 portrait")
}

// TestQRDerivedBaseURL checks that without BaseURL the link follows the
// request's host.
func TestQRDerivedBaseURL(t *testing.T) {
	env := newTestEnv(t, Config{})
	req, _ := http.NewRequest(http.MethodGet, "http://sipas.local:8080/s/mot-cua-01/poster", nil)
	_, body := env.do(t, req)
	wantContains(t, body, "http://sipas.local:8080/s/mot-cua-01")
	if !bytes.Contains([]byte(body), []byte("<svg")) {
		t.Error("no inline svg")
	}
}
