package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shellWords splits a command line as sh would for the simple quoting the
// README uses: single and double quotes, backslash escapes.
func shellWords(line string) ([]string, error) {
	var words []string
	var cur strings.Builder
	in, quote, escaped := false, rune(0), false
	for _, r := range line {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped, in = false, true
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\\':
			escaped = true
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ' || r == '\t':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		case r == '#' && !in:
			return words, nil // a comment
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	if quote != 0 {
		return nil, strconv.ErrSyntax
	}
	if in {
		words = append(words, cur.String())
	}
	return words, nil
}

// commandsIn returns the descent command lines of text's ```sh blocks
// (or of plain text when blocks is false), continuation lines joined.
func commandsIn(text string, blocks bool) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(text))
	inBlock, pending := !blocks, ""
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if blocks && strings.HasPrefix(line, "```") {
			inBlock = !inBlock && strings.HasPrefix(line, "```sh")
			continue
		}
		if !inBlock {
			continue
		}
		if pending != "" {
			line = pending + " " + line
			pending = ""
		}
		if strings.HasSuffix(line, "\\") {
			pending = strings.TrimSuffix(line, "\\")
			continue
		}
		if strings.HasPrefix(line, "descent ") || strings.HasPrefix(line, "go run ./cmd/descent ") {
			out = append(out, "descent "+strings.TrimPrefix(strings.TrimPrefix(line, "go run ./cmd/descent "), "descent "))
		}
	}
	return out
}

// heavy marks commands that train for minutes: they run in plain `go
// test`, and are left out under the race detector, which slows their
// Go kernels tenfold.
var heavy = regexp.MustCompile(`fashion|mnist|--targets|--epochs [0-9]{4,}`)

// runDocCommand runs one documented command in the current directory and
// checks it: no error, and a regression's R² of at least 0.9.
func runDocCommand(t *testing.T, line string) {
	t.Helper()
	words, err := shellWords(line)
	require.NoError(t, err, line)
	require.Equal(t, "descent", words[0])
	args := words[1:]
	if heavy.MatchString(line) && (raceEnabled || testing.Short()) {
		t.Logf("skipped under -race and -short (minutes of training): %s", line)
		return
	}
	switch args[0] {
	case "bench":
		args = append(args, "--min-time", "2ms", "--no-peers", "--rounds", "1")
	case "serve":
		args = append(args, "--addr", "127.0.0.1:0") // any free port: 8080 may be taken
	}
	timeout := 5 * time.Minute
	if args[0] == "serve" {
		timeout = 2 * time.Second // it serves until stopped: stop it
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	root := newRoot()
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(args)
	err = root.ExecuteContext(ctx)
	if args[0] == "serve" && ctx.Err() != nil {
		err = nil
	}
	require.NoError(t, err, "%s\nstdout: %s\nstderr: %s", line, out.String(), errb.String())
	if m := regexp.MustCompile(`R²:\s+(-?[0-9.]+)`).FindStringSubmatch(out.String()); m != nil {
		r2, _ := strconv.ParseFloat(m[1], 64)
		assert.GreaterOrEqual(t, r2, 0.9, "a regression example must reach R² >= 0.9: %s", line)
	}
}

// docDir is a scratch directory where documented commands run, with the
// repository's docs/ and data/ reachable as in a clone.
func docDir(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"docs", "data", "modelfile"} {
		abs, err := filepath.Abs(filepath.Join("..", "..", d))
		require.NoError(t, err)
		require.NoError(t, os.Symlink(abs, filepath.Join(dir, d)))
	}
	t.Chdir(dir)
}

// TestREADMECommands runs every descent command of the README's shell
// blocks, in order, as a new user would from a clone.
func TestREADMECommands(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	cmds := commandsIn(string(b), true)
	require.NotEmpty(t, cmds)
	docDir(t)
	for _, line := range cmds {
		t.Run(line, func(t *testing.T) { runDocCommand(t, line) })
	}
}

// TestHelpExamples runs every example of every command's --help.
func TestHelpExamples(t *testing.T) {
	docDir(t)
	for _, c := range newRoot().Commands() {
		for _, line := range commandsIn(c.Example, false) {
			t.Run(line, func(t *testing.T) { runDocCommand(t, line) })
		}
	}
}

// TestREADMEQuotesTheExampleModel: the README's "your own model" snippet
// is models/example_model_test.go's, verbatim, so it compiles as given.
func TestREADMEQuotesTheExampleModel(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	src, err := os.ReadFile("../../models/example_model_test.go")
	require.NoError(t, err)
	s := string(src)
	start := strings.Index(s, "// Wave is")
	end := strings.Index(s, "// ExampleModel defines")
	require.True(t, start >= 0 && end > start)
	assert.Contains(t, string(readme), strings.TrimSpace(s[start:end]), "the README quotes the Wave model verbatim")
}
