package extract

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/internal/treefs"
	"github.com/nixbuild-lint/nixbuild-lint/machines"
	"github.com/nixbuild-lint/nixbuild-lint/model"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/modsys"
)

// defaultBuilders is Nix's builders setting when nothing sets it.
const defaultBuilders = "@/etc/nix/machines"

// prioNormal is the priority of a plain definition (NixOS's own
// environment.etc."nix/machines".text and builders = null are plain).
const prioNormal = 100

// effectiveMachines are the build machines the host's Nix reads: its
// builders setting (nix.settings.builders, a builders line of
// nix.extraOptions, else @/etc/nix/machines), where /etc/nix/machines is
// what NixOS (and nix-darwin) writes from nix.buildMachines followed by the
// environment.etc."nix/machines" text the configuration writes itself.
// nixos are the nix.buildMachines entries. A host that sets neither keeps
// them as they are.
func (h *host) effectiveMachines(host *model.Host, nixos model.Machines) model.Machines {
	spec, specAt, specSrc, explicit, prio, why := h.buildersSetting()
	readFrom := "nix.settings.builders"
	if prio == 0 {
		readFrom = "nix.extraOptions"
	}
	etcTouched := h.etcFile("nix/machines") != nil
	if !explicit && !etcTouched {
		return nixos
	}
	if explicit && prio < prioNormal && !host.Distribute.Unknown && !host.Distribute.V {
		// builders = lib.mkForce …: NixOS's builders = null (distributedBuilds
		// false) loses, and the daemon reads these builders.
		host.Distribute = model.Bool{V: true, At: specAt}
	}
	out := model.Machines{Entries: []*model.Machine{}, At: nixos.At, Read: `environment.etc."nix/machines"`}
	if explicit {
		out.At, out.Read = specAt, readFrom
	}
	if why != "" {
		out.Unknown, out.Why = true, why
		return out
	}
	included := map[*model.Machine]bool{}
	include := func(path string, at model.Loc) ([]*model.Machine, []machines.Problem) {
		ms, unknown, why := h.etcMachines(path, nixos)
		if unknown && !out.Unknown {
			out.Unknown, out.Why = true, why
		}
		for _, m := range ms {
			included[m] = true
		}
		return ms, nil
	}
	entries, _ := machines.ParseWith("builders", []byte(spec), include)
	var own []*model.Machine
	for _, m := range entries {
		if !included[m] {
			m.Text = true
			own = append(own, m)
		}
	}
	place(own, spec, specSrc, specAt)
	for i, m := range entries {
		m.Index = i
	}
	out.Entries = append(out.Entries, entries...)
	if out.Unknown {
		out.Entries = []*model.Machine{}
	}
	return out
}

// buildersSetting is the builders setting as nix.conf ends up with it:
// the spec, where it is written (and the span of its text, for placing
// its entries), whether the configuration sets it, at which priority, and
// why it cannot be known ("" when it can).
func (h *host) buildersSetting() (spec string, at model.Loc, src lang.Span, explicit bool, prio int, why string) {
	spec, prio = defaultBuilders, prioNormal
	path := split("nix.settings.builders")
	if len(h.Leaves(path)) > 0 {
		r := h.Option(path)
		explicit, at = true, locOf(r)
		if len(r.Winners) > 0 {
			prio = r.Winners[0].Prio
		}
		switch x := r.V.(type) {
		case *lang.Str:
			spec, src = x.S, x.At
			if len(r.Winners) > 0 {
				at = valueLoc(x, r.Winners[0].T, r.Winners[0].Bind)
			}
		case lang.Null:
			spec = ""
		case *lang.List:
			// nix.conf writes a list space-separated.
			var parts []string
			for _, e := range x.Elems {
				s, ok := h.Ev.Force(e).(*lang.Str)
				if !ok {
					return "", at, src, true, prio, "nix.settings.builders cannot be computed"
				}
				parts = append(parts, s.S)
				if len(x.Elems) == 1 {
					src = s.At
				}
			}
			spec = strings.Join(parts, " ")
		default:
			return "", at, src, true, prio, "nix.settings.builders cannot be computed"
		}
	}
	if len(h.Leaves(split("nix.extraOptions"))) == 0 {
		return spec, at, src, explicit, prio, ""
	}
	r := h.Option(split("nix.extraOptions"))
	eo := h.strOf(r.V, r)
	if eo.Unknown {
		return spec, at, src, explicit, prio, ""
	}
	for _, kv := range model.NixConfLines(eo.V) {
		if kv[0] == "builders" {
			// nix.extraOptions comes after nix.settings in nix.conf.
			spec, at, explicit, prio = kv[1], eo.At, true, 0
			src = lang.Span{}
			if s, ok := r.V.(*lang.Str); ok {
				src = s.At
			}
		}
	}
	return spec, at, src, explicit, prio, ""
}

// etcMachines are the entries of a machines file @path names: for
// /etc/nix/machines, NixOS's lines from nix.buildMachines and the text the
// configuration adds (types.lines: definitions of the highest priority
// concatenated; NixOS's own is a plain one); for another /etc file, its
// environment.etc text. A file made at build time, or one the
// configuration does not write, cannot be known.
func (h *host) etcMachines(path string, nixos model.Machines) ([]*model.Machine, bool, string) {
	name, ok := strings.CutPrefix(path, "/etc/")
	if !ok || strings.Contains(name, ".") {
		return nil, true, fmt.Sprintf("builders reads @%s, a file this configuration does not write", path)
	}
	own := name == "nix/machines"
	file := h.etcFile(name)
	if file == nil {
		if own {
			if nixos.Unknown {
				return nil, true, "nix.buildMachines cannot be listed"
			}
			return nixos.Entries, false, ""
		}
		return nil, true, fmt.Sprintf("builders reads @%s, a file this configuration does not write", path)
	}
	if has(file, "source") {
		srcPath := []string{"environment", "etc", name, "source"}
		r := h.Option(srcPath)
		at := locOf(r)
		if p, ok := r.V.(*lang.Path); ok && !p.Virtual {
			if ms, ok := h.machinesFile(p.P); ok {
				return ms, false, ""
			}
		}
		return nil, true, fmt.Sprintf("environment.etc.%q.source (%s) is a file made when the system is built: its build machines cannot be read", name, at)
	}
	textPath := []string{"environment", "etc", name, "text"}
	if !has(file, "text") {
		if own {
			return nixos.Entries, nixos.Unknown, ""
		}
		return nil, true, fmt.Sprintf("environment.etc.%q has no text the reader can read", name)
	}
	r := h.Option(textPath)
	var out []*model.Machine
	best := prioNormal + 1
	if len(r.Winners) > 0 {
		best = r.Winners[0].Prio
	}
	if own && len(nixos.Entries) > 0 && best >= prioNormal {
		if nixos.Unknown {
			return nil, true, "nix.buildMachines cannot be listed"
		}
		out = append(out, nixos.Entries...)
		if best > prioNormal {
			return out, false, "" // NixOS's own text wins over a mkDefault one
		}
	}
	for _, w := range r.Winners {
		s, ok := h.Ev.Force(w.T).(*lang.Str)
		if !ok {
			return nil, true, fmt.Sprintf("environment.etc.%q.text (%s) cannot be computed", name, leafLoc(w))
		}
		ms, included := parseNoIncludes(name, []byte(s.S))
		if included {
			return nil, true, fmt.Sprintf("environment.etc.%q.text (%s) includes another machines file", name, leafLoc(w))
		}
		for _, m := range ms {
			m.Text = true
		}
		place(ms, s.S, s.At, leafLoc(w))
		out = append(out, ms...)
	}
	return out, false, ""
}

// etcFile is the configuration's environment.etc.<name>, nil when it
// writes none (or environment.etc cannot be read: NixOS's own then).
func (h *host) etcFile(name string) *lang.Attrs {
	etc, ok := h.Ev.Force(h.Value(split("environment.etc"))).(*lang.Attrs)
	if !ok {
		return nil
	}
	// Only names the set lists: a set computed from what cannot be known
	// may answer any name.
	names, ok := etc.Names()
	if !ok || !slices.Contains(names, name) {
		return nil
	}
	at, _ := etc.Get(name)
	f, _ := h.Ev.Force(at.T).(*lang.Attrs)
	return f
}

// has reports whether a set lists a name.
func has(a *lang.Attrs, name string) bool {
	names, ok := a.Names()
	return ok && slices.Contains(names, name)
}

// parseNoIncludes parses a machines text without following its @file
// entries, and says whether it has any (the machines parser finds them).
func parseNoIncludes(file string, data []byte) ([]*model.Machine, bool) {
	included := false
	ms, _ := machines.ParseWith(file, data, func(string, model.Loc) ([]*model.Machine, []machines.Problem) {
		included = true
		return nil, nil
	})
	return ms, included
}

// leafLoc is where a definition's value is written (the expression, else
// the binding).
func leafLoc(w modsys.Leaf) model.Loc {
	return valueLoc(nil, w.T, w.Bind)
}

// machinesFile parses a machines file of the checked tree.
func (h *host) machinesFile(p string) ([]*model.Machine, bool) {
	f, err := treefs.OpenRegular(p)
	if err != nil {
		return nil, false
	}
	defer func() { _ = f.Close() }()
	data, err := treefs.ReadAllLimited(f, p, machines.MaxFileSize)
	if err != nil {
		return nil, false
	}
	rel := h.Ev.Loader().Rel(p)
	ms, included := parseNoIncludes(rel, data)
	if included {
		return nil, false
	}
	src := lang.NewSource(p, rel, data)
	starts := []int{0}
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	for _, m := range ms {
		m.Text = true
		move(m, func(l model.Loc) model.Loc {
			if l.File == "" {
				return l
			}
			if l.Line-1 >= len(starts) {
				return l
			}
			off := starts[l.Line-1] + l.Column - 1
			return lang.Span{Src: src, Start: off, End: off + l.EndColumn - l.Column}.Loc()
		})
	}
	return ms, true
}

// place moves entries parsed from text (lines and columns of the text) to
// where the text is written: into its string literal sp when the entry is
// written there as it reads (no interpolation, no escape in it), else to
// fallback, the definition.
func place(ms []*model.Machine, text string, sp lang.Span, fallback model.Loc) {
	lines := strings.Split(text, "\n")
	var src string
	if sp.Valid() && !sp.Src.Internal && sp.Start >= 0 && sp.End <= len(sp.Src.Data) && sp.Start < sp.End {
		src = string(sp.Src.Data[sp.Start:sp.End])
	}
	cursor := 0
	for _, m := range ms {
		first, last := m.At.Column, m.At.EndColumn
		move(m, func(l model.Loc) model.Loc {
			if l.File != "" && l.Line == m.At.Line {
				last = max(last, l.EndColumn)
			}
			return l
		})
		found := -1
		if src != "" && m.At.Line-1 < len(lines) && last-1 <= len(lines[m.At.Line-1]) && first >= 1 && first <= last {
			seg := lines[m.At.Line-1][first-1 : last-1]
			if i := strings.Index(src[cursor:], seg); i >= 0 {
				found = sp.Start + cursor + i
				cursor += i + len(seg)
			}
		}
		line := m.At.Line
		move(m, func(l model.Loc) model.Loc {
			if l.File == "" {
				return l
			}
			if found < 0 || l.Line != line {
				return fallback
			}
			off := found + l.Column - first
			return lang.Span{Src: sp.Src, Start: off, End: off + l.EndColumn - l.Column}.Loc()
		})
	}
}

// move rewrites every place of an entry.
func move(m *model.Machine, f func(model.Loc) model.Loc) {
	m.At = f(m.At)
	m.HostName.At = f(m.HostName.At)
	m.Systems.At = f(m.Systems.At)
	for i := range m.Systems.Items {
		m.Systems.Items[i] = f(m.Systems.Items[i])
	}
	m.SSHKey.At = f(m.SSHKey.At)
	m.MaxJobs.At = f(m.MaxJobs.At)
	m.SpeedFactor.At = f(m.SpeedFactor.At)
	m.SupportedFeatures.At = f(m.SupportedFeatures.At)
	m.MandatoryFeatures.At = f(m.MandatoryFeatures.At)
	m.PublicHostKey.At = f(m.PublicHostKey.At)
}
