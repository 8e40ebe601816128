// Package surveys holds what a questionnaire is and what an answer to it is:
// survey definitions (loaded from the embedded files under definitions/ and
// validated at start-up), responses and their validation, the organisation a
// survey runs in (divisions, counters, procedures) and the one application
// error type.
//
// It imports only the standard library: no web framework, no database driver.
//
// # Definition file format
//
// A definition is one JSON file in definitions/, named after its id
// (sipas-2022.json). Fields:
//
//	id          string   stable identifier, [a-z0-9-]+ ("sipas-2022")
//	version     int      incremented whenever wording or structure changes;
//	                     every stored response records the version it answered
//	title       Text     {"vi": "...", "en": "..."}, both required
//	intro       Text     one sentence shown above the form
//	scale       Scale    the answer scale shared by every item:
//	    points      [{"value": 1, "label": Text}, ...] ascending, values 1..9
//	    satisfied_min  int  smallest value counted as satisfied (4 on 1..5)
//	    no_opinion     Text label of the "no opinion / not experienced" choice
//	factors     [Factor] each {"code": "A", "name": Text, "short": Text,
//	                     "target_delta": 2, "items": [{"code": "A1", "text": Text}]}
//	optional    [Question] optional questions, never required:
//	    {"code": "gender", "kind": "choice"|"scale"|"text", "label": Text,
//	     "options": [{"code": "f", "label": Text}], "max_len": 2000}
//	scoring     Method   named options of the scoring method:
//	    factor_method  "mean" (mean of item indices) | "pooled"
//	    service_rule   "mean_of_factors" | "pooled"
//	    target_rule    "points" | "relative"
//	    min_respondents int  below this a verdict is "insufficient"
//	baselines   [Baseline] {"year": 2022, "unit": "gia-lai",
//	                     "values": {"A": 83.99, ...}, "overall": 82.52}
//	references  [Reference] reference lines for charts:
//	                     {"label": Text, "year": 2022, "value": 80.08}
//
// Codes are unique across factors, items and optional questions. Load
// rejects a file that breaks any of these rules, naming the file and field.
package surveys
