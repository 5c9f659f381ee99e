// Package atomicfile writes every file Descent produces (model files,
// checkpoints, traces, plots, JSON) so that a reader, or a run killed
// half-way, never sees a half-written file, and so that a path the user
// named is treated as a shell redirection would treat it:
//
//   - A symbolic link is followed, chains of links included, and its
//     target is replaced; a dangling link creates its target. The link
//     itself is never replaced.
//   - A regular file (or a new one) is replaced atomically: the data goes
//     to a temporary file in the target's own directory, named
//     ".<base>.descent-tmp-<pid>-<random>", which is synced and renamed over
//     the target; the directory is then synced. On any error the temporary
//     file is removed and the old file is left untouched.
//   - An existing file keeps its permission bits; a new file gets 0666
//     minus the umask, as a shell's ">" gives it.
//   - A character device or a FIFO (/dev/stdout, /dev/null, a named pipe)
//     is written directly, as is "-", which means standard output.
//   - Temporary files left behind by a killed process (kill -9) are removed
//     by the next write to the same path: those whose owning process is no
//     longer running, and any older than StaleAfter.
//
// Check verifies before a long run that a path can be written to.
//
// Errors read well after "PATH: ", e.g. "directory /nope does not exist";
// callers add their package prefix and the path or flag.
package atomicfile
