package serve_test

import (
	"fmt"
	"net/url"

	"github.com/descent-ml/descent/serve"
)

// ExampleParseState reads a Surface view's URL: Adam and gradient descent
// racing across Rosenbrock's valley from (-1.2, 1).
func ExampleParseState() {
	q, _ := url.ParseQuery("view=surface&obj=rosenbrock&start=-1.2,1&p=gd,lr=0.001&p=adam,lr=0.05,beta1=0.8")
	s, err := serve.ParseState(q)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range s.Surface.Paths {
		fmt.Println(p.Config.Name, p.Config.LR)
	}
	_, err = serve.ParseState(url.Values{"view": {"surface"}, "steps": {"1000000"}})
	fmt.Println(err)
	// Output:
	// gd 0.001
	// adam 0.05
	// serve: steps must be an integer in [1, 10000], got "1000000"
}

// ExampleNew builds the playground's handler; ListenAndServe serves it on
// 127.0.0.1:8080 until its context is cancelled.
func ExampleNew() {
	s, err := serve.New(serve.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Handler() != nil, serve.DefaultAddr)
	// Output: true 127.0.0.1:8080
}
