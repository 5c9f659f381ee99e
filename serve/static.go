package serve

import (
	"embed"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed assets/index.html assets/app.js assets/style.css assets/vendor/plotly.min.js assets/vendor/PLOTLY_VERSION assets/vendor/PLOTLY_LICENSE
var assets embed.FS

// staticFiles serves the embedded assets under /assets/ and the page at /.
// Only names the embedded tree holds are served: a path with "..", a
// backslash, an encoded slash or anything outside assets/ is 404, and so
// is a directory.
func staticFiles() http.Handler {
	sub, _ := fs.Sub(assets, "assets") // cannot fail: the directory is embedded
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := "index.html"
		if r.URL.Path != "/" {
			rest, ok := strings.CutPrefix(r.URL.Path, "/assets/")
			if !ok || strings.Contains(r.URL.RawPath, "%2") || strings.Contains(r.URL.RawPath, "%5") {
				http.NotFound(w, r)
				return
			}
			name = rest
		}
		if !fs.ValidPath(name) || strings.Contains(name, "\\") || path.Clean(name) != name {
			http.NotFound(w, r)
			return
		}
		b, err := fs.ReadFile(sub, name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = "application/octet-stream"
		}
		w.Header().Set("Content-Type", ct)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "no-cache")
		if r.Method == http.MethodHead {
			return
		}
		_, _ = w.Write(b)
	})
}
