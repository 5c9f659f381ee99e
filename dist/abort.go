package dist

import (
	"fmt"
	"io"
	"strings"
)

// exitCode is Abort's exit status for code: code itself in [1, 255],
// otherwise 1, so that an abort never reads as success or wraps around.
func exitCode(code int) int {
	if code < 1 || code > 255 {
		return 1
	}
	return code
}

// writeAbort prints Abort's one line "rank R: msg" on w.
func writeAbort(w io.Writer, rank int, msg string) {
	fmt.Fprintf(w, "rank %d: %s\n", rank, strings.TrimRight(msg, "\n"))
}
