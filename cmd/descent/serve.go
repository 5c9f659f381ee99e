package main

import (
	"fmt"
	"os/exec"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/descent-ml/descent/serve"
)

func newServe() *cobra.Command {
	var (
		addr string
		open bool
	)
	cmd := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:8080] [--open]",
		Short: "Run the playground: watch and steer gradient descent in the browser",
		Long: `serve runs the playground, a local web page with three views: Surface
(optimizers racing across a loss surface), Fit (a model trained on a dataset,
with its loss curve and, for two parameters, its loss surface) and Learning
rates (one problem at several rates side by side). Every number is computed
by the same library calls as train, surface and compare, and streamed to the
page; every asset is built in, so it works offline. Each view's state is in
its URL. It listens on 127.0.0.1 only unless --addr says otherwise; Ctrl-C
stops it.`,
		Example: `  descent serve
  descent serve --open
  descent serve --addr 0.0.0.0:9000   # reachable from other machines`,
		Args: cobra.NoArgs,
	}
	fs := cmd.Flags()
	fs.StringVar(&addr, "addr", serve.DefaultAddr, "address to listen on (host:port)")
	fs.BoolVar(&open, "open", false, "open the page in the default browser")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		s, err := serve.New(serve.Options{})
		if err != nil {
			return err
		}
		return s.ListenAndServe(cmd.Context(), addr, func(url string) {
			fmt.Fprintf(cmd.OutOrStdout(), "descent playground on %s (Ctrl-C stops it)\n", url)
			if open {
				openBrowser(url)
			}
		})
	}
	return cmd
}

// openBrowser asks the desktop to open url; failing to is not an error.
func openBrowser(url string) {
	name, args := "xdg-open", []string{url}
	switch runtime.GOOS {
	case "darwin":
		name = "open"
	case "windows":
		name, args = "rundll32", []string{"url.dll,FileProtocolHandler", url}
	}
	_ = exec.Command(name, args...).Start()
}
