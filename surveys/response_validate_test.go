package surveys

import "testing"

func TestValidateResponse(t *testing.T) {
	reg, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	d, _ := reg.Get(Default)
	counter := &Counter{Code: "c1", Name: Text{VI: "Quầy 1"}, Procedures: []Procedure{{Code: "p1"}}}
	ok := func() Response {
		return Response{ID: "0b9f6a3e-4c1d-4e2a-9b7c-2f1e0d3c4b5a", Survey: d.ID, Channel: ChannelQR, Answers: map[string]int{"A1": 5}}
	}
	tests := []struct {
		name  string
		edit  func(r *Response)
		field string
		msg   string
	}{
		{"valid", func(r *Response) {}, "", ""},
		{"valid with optional parts", func(r *Response) {
			r.Extra = map[string]string{"overall": "4", "procedure": "p1", "gender": "f", "comment": "Tốt"}
		}, "", ""},
		{"bad uuid", func(r *Response) { r.ID = "not-a-uuid" }, "id", MsgBadUUID},
		{"unknown item", func(r *Response) { r.Answers["Z9"] = 3 }, "Z9", MsgUnknownItem},
		{"value too high", func(r *Response) { r.Answers["A2"] = 6 }, "A2", MsgOutOfRange},
		{"zero is not no-opinion", func(r *Response) { r.Answers["A2"] = 0 }, "A2", MsgOutOfRange},
		{"no answers", func(r *Response) { r.Answers = nil }, "answers", MsgNoAnswers},
		{"bad channel", func(r *Response) { r.Channel = "fax" }, "channel", MsgBadChannel},
		{"procedure of another counter", func(r *Response) { r.Extra = map[string]string{"procedure": "p9"} }, "procedure", MsgUnknownOption},
		{"overall not a number", func(r *Response) { r.Extra = map[string]string{"overall": "x"} }, "overall", MsgNotANumber},
		{"comment too long", func(r *Response) { r.Extra = map[string]string{"comment": string(make([]rune, 2001))} }, "comment", MsgTooLong},
		{"comment invalid utf-8", func(r *Response) { r.Extra = map[string]string{"comment": "a\xffb"} }, "comment", MsgBadUTF8},
		{"unknown optional", func(r *Response) { r.Extra = map[string]string{"phone": "0900"} }, "phone", MsgUnknownItem},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok()
			tt.edit(&r)
			err := ValidateResponse(d, &r, counter)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("got %v, want valid", err)
				}
				return
			}
			e, isErr := err.(*Error)
			if !isErr || e.Code != EINVALID {
				t.Fatalf("got %v, want an EINVALID *Error", err)
			}
			if got := e.Fields[tt.field]; got != tt.msg {
				t.Errorf("field %s: got %q, want %q (all: %v)", tt.field, got, tt.msg, e.Fields)
			}
		})
	}
}
