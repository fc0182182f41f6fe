// Package config reads a project's .nixbuild-lint.yaml: which rules run,
// at which severity, and the fail level.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/internal/treefs"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval"
	"github.com/nixbuild-lint/nixbuild-lint/rules"
	"gopkg.in/yaml.v3"
)

// FileName is looked for in the checked directory.
const FileName = ".nixbuild-lint.yaml"

// Config is the parsed file.
type Config struct {
	Path      string
	FailLevel *rules.Severity
	Options   rules.Options
}

type raw struct {
	FailLevel string            `yaml:"fail-level"`
	Disable   []string          `yaml:"disable"`
	Severity  map[string]string `yaml:"severity"`
}

// MaxSize is the largest configuration file read.
const MaxSize = 1 << 20

// Load reads path, or root/.nixbuild-lint.yaml when path is empty (a
// missing default file is no error). Mistakes name the file and line.
func Load(root, path string) (*Config, error) {
	explicit := path != ""
	if !explicit {
		path = filepath.Join(root, FileName)
	}
	cfg := &Config{Options: rules.Options{Disabled: map[string]bool{}, Severity: map[string]rules.Severity{}}}
	var data []byte
	var err error
	if explicit {
		// --config names the user's own file: anywhere, but a regular one.
		data, err = treefs.ReadRegular(path, MaxSize)
	} else {
		// The tree's: a symlink out of it is refused, as for the Nix files.
		data, err = treefs.ReadIn(root, path, MaxSize)
	}
	if err != nil {
		if !explicit && errors.Is(err, os.ErrNotExist) {
			return cfg, nil
		}
		shown := path
		if !explicit {
			shown = FileName
		}
		return nil, &nixeval.InputError{File: shown, Msg: "cannot read the configuration: " + treefs.Reason(err)}
	}
	cfg.Path = path
	shown := path
	if rel, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(rel, "..") {
		shown = rel
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(shown, err)
	}
	if len(doc.Content) == 0 {
		return cfg, nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var r raw
	if err := dec.Decode(&r); err != nil {
		return nil, yamlError(shown, err)
	}
	line := func(key, value string) int {
		var find func(n *yaml.Node) int
		find = func(n *yaml.Node) int {
			for i, c := range n.Content {
				if c.Value == value && (key == "" || i > 0 && n.Kind == yaml.SequenceNode || n.Kind == yaml.MappingNode) {
					return c.Line
				}
				if l := find(c); l > 0 {
					return l
				}
			}
			return 0
		}
		return find(&doc)
	}
	bad := func(value, msg string) error {
		return &nixeval.InputError{File: shown, Line: line("", value), Msg: msg}
	}
	if r.FailLevel != "" {
		s, err := rules.ParseSeverity(r.FailLevel)
		if err != nil {
			return nil, bad(r.FailLevel, "fail-level: "+err.Error())
		}
		cfg.FailLevel = &s
	}
	for _, name := range r.Disable {
		rule := rules.Lookup(name)
		if rule == nil {
			return nil, bad(name, fmt.Sprintf("disable: no rule named %q", name))
		}
		cfg.Options.Disabled[rule.Name] = true
	}
	for name, level := range r.Severity {
		rule := rules.Lookup(name)
		if rule == nil {
			return nil, bad(name, fmt.Sprintf("severity: no rule named %q", name))
		}
		s, err := rules.ParseSeverity(level)
		if err != nil {
			return nil, bad(level, "severity of "+name+": "+err.Error())
		}
		cfg.Options.Severity[rule.Name] = s
	}
	return cfg, nil
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlError turns yaml.v3's messages into one line with the file and line.
func yamlError(file string, err error) error {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		l, _ := strconv.Atoi(m[1])
		text := m[2]
		if f, ok := strings.CutPrefix(text, "field "); ok {
			if name, _, ok := strings.Cut(f, " not found"); ok {
				text = "unknown setting " + name + " (known: fail-level, disable, severity)"
			}
		}
		return &nixeval.InputError{File: file, Line: l, Msg: text}
	}
	return &nixeval.InputError{File: file, Msg: strings.ReplaceAll(msg, "\n", " ")}
}
