package httpserver

import (
	"sort"
	"strconv"

	"github.com/sipas/sipas/surveys"
)

// noOpinion is the form value of "no opinion / not experienced". It is
// never stored: the item is left out of Response.Answers.
const noOpinion = "na"

// formView is the citizen form, GET /s/:counter and its re-render on
// invalid input.
type formView struct {
	page
	Heading      string
	Intro        string
	CounterName  string
	DivisionName string
	Action       string
	ID           string // fresh UUID per render: a double submit stores once
	Errors       []errorLink
	Factors      []factorView
	Optional     []questionView
	OpenMore     bool // an optional answer needs attention
}

// errorLink is one line of the error summary, linking to its field.
type errorLink struct {
	Anchor  string
	Label   string
	Message string
}

type factorView struct {
	Code  string
	Name  string
	Items []questionView
}

// questionView is an item or an optional question: a radio group, or a
// text area when Text is set.
type questionView struct {
	Code    string
	Num     string // the item code shown before an item's text
	Label   string
	Error   string
	Choices []choiceView
	Text    bool
	Value   string
	MaxLen  int
	Hint    string
}

type choiceView struct {
	ID      string
	Value   string
	Label   string
	Checked bool
}

// formState is what a form carries between renders: the submitted values
// by field and the message key of each bad field.
type formState struct {
	ID     string
	Values map[string]string
	Fields map[string]string
}

// formView builds the view of the form for counter ct in lang.
func (s *server) formView(lang string, ct surveys.Counter, division string, st formState) formView {
	d := s.def
	v := formView{
		page:         s.newPage(lang, d.Title.In(lang), "/s/"+ct.Code),
		Heading:      d.Title.In(lang),
		Intro:        d.Intro.In(lang),
		CounterName:  ct.Name.In(lang),
		DivisionName: division,
		Action:       "/s/" + ct.Code,
		ID:           st.ID,
	}
	msg := func(code string) string {
		if key, ok := st.Fields[code]; ok {
			return s.cat.T(lang, key)
		}
		return ""
	}
	var scale []choiceView
	for _, p := range d.Scale.Points {
		scale = append(scale, choiceView{Value: strconv.Itoa(p.Value), Label: p.Label.In(lang)})
	}
	scaleNA := append(append([]choiceView(nil), scale...), choiceView{Value: noOpinion, Label: d.Scale.NoOpinion.In(lang)})

	var itemErrs, optErrs []errorLink
	for _, f := range d.Factors {
		fv := factorView{Code: f.Code, Name: f.Name.In(lang)}
		for _, it := range f.Items {
			q := questionView{Code: it.Code, Num: it.Code, Label: it.Text.In(lang), Error: msg(it.Code)}
			q.Choices = choices(it.Code, scaleNA, st.Values[it.Code])
			if q.Error != "" {
				itemErrs = append(itemErrs, errorLink{Anchor: q.Choices[0].ID, Label: it.Code, Message: q.Error})
			}
			fv.Items = append(fv.Items, q)
		}
		v.Factors = append(v.Factors, fv)
	}
	for _, oq := range d.Optional {
		q := questionView{Code: oq.Code, Label: oq.Label.In(lang), Error: msg(oq.Code)}
		anchor := oq.Code
		switch oq.Kind {
		case surveys.KindText:
			q.Text, q.Value, q.MaxLen = true, st.Values[oq.Code], oq.MaxLen
			q.Hint = s.cat.T(lang, "form.comment_hint")
		case surveys.KindScale:
			q.Choices = choices(oq.Code, scale, st.Values[oq.Code])
			anchor = q.Choices[0].ID
		case surveys.KindChoice:
			var opts []choiceView
			if oq.Code == "procedure" {
				// The counter's own procedures come first, then the
				// definition's fallbacks ("other", "don't remember").
				for _, p := range ct.Procedures {
					opts = append(opts, choiceView{Value: p.Code, Label: p.Name.In(lang)})
				}
			}
			for _, o := range oq.Options {
				opts = append(opts, choiceView{Value: o.Code, Label: o.Label.In(lang)})
			}
			q.Choices = choices(oq.Code, opts, st.Values[oq.Code])
			anchor = q.Choices[0].ID
		}
		if q.Error != "" {
			optErrs = append(optErrs, errorLink{Anchor: anchor, Label: q.Label, Message: q.Error})
			v.OpenMore = true
		}
		v.Optional = append(v.Optional, q)
	}

	// "At least one answer" first, then fields in form order, then any
	// field the form has no place for (sorted, for a stable page).
	if key, ok := st.Fields["answers"]; ok {
		v.Errors = append(v.Errors, errorLink{Anchor: d.Items()[0].Code + "-0", Label: s.cat.T(lang, "form.general"), Message: s.cat.T(lang, key)})
	}
	v.Errors = append(v.Errors, itemErrs...)
	v.Errors = append(v.Errors, optErrs...)
	var other []string
	for f := range st.Fields {
		if f != "answers" && d.ItemIndex(f) < 0 {
			if _, ok := d.Question(f); !ok {
				other = append(other, f)
			}
		}
	}
	sort.Strings(other)
	for _, f := range other {
		v.Errors = append(v.Errors, errorLink{Anchor: "errors", Label: s.cat.T(lang, "form.general"), Message: s.cat.T(lang, st.Fields[f])})
	}
	return v
}

// choices copies opts with ids for field code and the submitted one checked.
func choices(code string, opts []choiceView, value string) []choiceView {
	out := make([]choiceView, len(opts))
	for i, o := range opts {
		o.ID = code + "-" + strconv.Itoa(i)
		o.Checked = value != "" && o.Value == value
		out[i] = o
	}
	return out
}
