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

// FileName is looked for in the checked directory (or AltFileName).
const (
	FileName    = ".nixbuild-lint.yaml"
	AltFileName = ".nixbuild-lint.yml"
)

// Config is the parsed file.
type Config struct {
	Path      string
	FailLevel *rules.Severity
	Options   rules.Options
	// FetchInputs is fetch-inputs: fetch the flake's locked inputs to read
	// their modules (nil: not set; --fetch-inputs wins).
	FetchInputs *bool
}

type raw struct {
	FailLevel string            `yaml:"fail-level"`
	Disable   []string          `yaml:"disable"`
	Severity  map[string]string `yaml:"severity"`
	// A pointer: an explicit false is kept apart from no setting.
	FetchInputs *bool `yaml:"fetch-inputs"`
}

// MaxSize is the largest configuration file read.
const MaxSize = 1 << 20

// Load reads path, or root/.nixbuild-lint.yaml when path is empty (a
// missing default file is no error). Mistakes name the file and line.
func Load(root, path string) (*Config, error) {
	explicit := path != ""
	if !explicit {
		path = filepath.Join(root, FileName)
		// .yml is read too, so that the other spelling is not ignored in
		// silence; both at once is a mistake.
		alt := filepath.Join(root, AltFileName)
		if _, err := os.Lstat(alt); err == nil {
			if _, err := os.Lstat(path); err == nil {
				return nil, &nixeval.InputError{File: AltFileName, Msg: "both " + FileName + " and " + AltFileName + " are here; keep one"}
			}
			path = alt
		}
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
			shown = filepath.Base(path)
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
	if err := checkShape(shown, &doc); err != nil {
		return nil, err
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
	cfg.FetchInputs = r.FetchInputs
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

// checkShape says, in the tool's words, where a setting has the wrong
// kind of value (yaml.v3 would name Go types).
func checkShape(file string, doc *yaml.Node) error {
	top := doc.Content[0]
	if top.Kind == yaml.AliasNode && top.Alias != nil {
		top = top.Alias
	}
	at := func(n *yaml.Node, msg string) error { return &nixeval.InputError{File: file, Line: n.Line, Msg: msg} }
	if top.Kind != yaml.MappingNode {
		return at(top, "the configuration must be a mapping of settings (fail-level, disable, severity), not "+kindName(top))
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		if v.Tag == "!!null" {
			continue // "disable:" with every entry commented out: nothing set
		}
		switch k.Value {
		case "fail-level":
			if v.Kind != yaml.ScalarNode {
				return at(v, "fail-level must be one level (error, warning or info), not "+kindName(v))
			}
		case "disable":
			if v.Kind != yaml.SequenceNode {
				return at(v, "disable must be a list of rule names or codes, not "+kindName(v))
			}
			for _, e := range v.Content {
				if e.Kind != yaml.ScalarNode {
					return at(e, "disable must be a list of rule names or codes; this entry is "+kindName(e))
				}
			}
		case "severity":
			if v.Kind != yaml.MappingNode {
				return at(v, "severity must map rule names to levels (error, warning or info), not "+kindName(v))
			}
			for j := 1; j < len(v.Content); j += 2 {
				if e := v.Content[j]; e.Kind != yaml.ScalarNode {
					return at(e, "severity of "+v.Content[j-1].Value+" must be one level (error, warning or info), not "+kindName(e))
				}
			}
		}
	}
	return nil
}

// kindName describes a YAML value for a message: "a list", "the number 5".
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.Tag {
	case "!!int", "!!float":
		return "the number " + n.Value
	case "!!bool":
		return "the boolean " + n.Value
	case "!!null":
		return "nothing"
	}
	return fmt.Sprintf("%q", n.Value)
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
