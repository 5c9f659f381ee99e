package modelfile

import (
	"fmt"

	"github.com/descent-ml/descent/internal/atomicfile"
)

// WriteFile writes b to path atomically, by internal/atomicfile's rules: a
// synced temporary file beside the target renamed over it, so a reader
// never sees a half-written file; a symlink's target is replaced, not the
// link; a device, FIFO or "-" (standard output) is written directly; an
// existing file keeps its mode and a new one gets 0666 minus the umask.
func WriteFile(path string, b []byte) error {
	if err := atomicfile.WriteFile(path, b); err != nil {
		return fmt.Errorf("modelfile: writing %s: %w", path, err)
	}
	return nil
}
