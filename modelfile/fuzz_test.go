package modelfile

import (
	"bytes"
	"strings"
	"testing"

	"github.com/descent-ml/descent/graph"
)

// FuzzRead: the model-file and checkpoint reader never panics, and what
// it accepts builds (or refuses with an error) without allocating past the
// bounds it checked.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		`{"format":"descent-model","version":2,"model":{"spec":"linear","features":1,"outputs":1,"loss":"mse","dtype":"float64"},"features":["x"],"target":"y","params":{"W":{"shape":[1,1],"data":[2]},"b":{"shape":[1],"data":[1]}},"epochs":3,"steps":3}`,
		`{"format":"descent-model","version":2,"model":{"spec":"mlp:999999999","features":1,"outputs":1},"features":["x"],"params":{}}`,
		`{"format":"descent-model","version":2,"model":{"spec":"linear","features":1,"outputs":1000000000},"features":["x"],"params":{}}`,
		`{"format":"descent-model","version":2,"model":{"spec":"linear(4) relu linear(1)","features":2,"outputs":1},"features":["a","b"],"params":{"0.weight":{"shape":[4,2],"data":[1,2,3,4,5,6,7,8]}}}`,
		`{"format":"descent-model","version":2,"model":{"spec":"linear"},"params":{"W":{"shape":[1073741824,1073741824],"data":[]}}}`,
		`{"format":"descent-model","version":2,"epochs":4611686018427387904,"position":{"epoch":4611686018427387904}}`,
		`{"format":"descent-model","version":1}`,
		`{"format":"x"}`, `[]`, `{`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := Read(bytes.NewReader(b), "fuzz.json")
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("a multi-line error: %q", err)
			}
			return
		}
		p, err := file.Problem()
		if err != nil {
			return
		}
		p.Dtype = graph.Spec{}.Dtype
		if e, err := p.Engine(graph.Options{}); err == nil {
			_ = file.Apply(e) // a mismatch is an error, never a panic
		}
	})
}
