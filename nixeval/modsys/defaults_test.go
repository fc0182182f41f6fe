package modsys

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestVirtualKeys: virtualKeys are exactly the paths virtualDefs compares
// its key with (every case and == of defaults.go), so a path it defines
// is never skipped as one it cannot define.
func TestVirtualKeys(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "defaults.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var compared []string
	ast.Inspect(f, func(n ast.Node) bool {
		fd, ok := n.(*ast.FuncDecl)
		if !ok || fd.Name.Name != "virtualDefs" {
			return true
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			lit := func(e ast.Expr) {
				if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
					s, _ := strconv.Unquote(b.Value)
					compared = append(compared, s)
				}
			}
			switch x := n.(type) {
			case *ast.SwitchStmt:
				if id, ok := x.Tag.(*ast.Ident); ok && id.Name == "key" {
					for _, c := range x.Body.List {
						for _, e := range c.(*ast.CaseClause).List {
							lit(e)
						}
					}
				}
			case *ast.BinaryExpr:
				if id, ok := x.X.(*ast.Ident); ok && id.Name == "key" && x.Op == token.EQL {
					lit(x.Y)
				}
			}
			return true
		})
		return false
	})
	slices.Sort(compared)
	compared = slices.Compact(compared)
	want := slices.Clone(virtualKeys)
	slices.Sort(want)
	if !slices.Equal(compared, want) {
		t.Errorf("virtualDefs compares its key with\n%q\nvirtualKeys are\n%q", compared, want)
	}
	for _, k := range virtualKeys {
		if !mayHaveVirtualDefs(strings.Split(k, ".")) {
			t.Errorf("%s: not a path virtualDefs may define", k)
		}
	}
}

// TestJoinedIs: a path matches a dotted key however its names hold the
// dots ("nix.settings" "max-jobs" is nix.settings.max-jobs too).
func TestJoinedIs(t *testing.T) {
	for _, c := range []struct {
		path []string
		key  string
		want bool
	}{
		{[]string{"nix", "settings", "max-jobs"}, "nix.settings.max-jobs", true},
		{[]string{"nix.settings", "max-jobs"}, "nix.settings.max-jobs", true},
		{[]string{"nix.settings.max-jobs"}, "nix.settings.max-jobs", true},
		{[]string{"nix", "settings"}, "nix.settings.max-jobs", false},
		{[]string{"nix", "settings", "max-jobs", "x"}, "nix.settings.max-jobs", false},
		{[]string{"nix", "settingsXmax-jobs"}, "nix.settings.max-jobs", false},
		{[]string{"nix", "", "settings"}, "nix..settings", true},
		{[]string{"services", "nginx", "virtualHosts"}, "services.openssh.enable", false},
	} {
		if got := joinedIs(c.path, c.key); got != c.want {
			t.Errorf("joinedIs(%q, %q) = %v, want %v", c.path, c.key, got, c.want)
		}
		n := len(c.path) - 1
		for _, p := range c.path {
			n += len(p)
		}
		if got := len(c.key) == n && joinedIs(c.path, c.key); got != (strings.Join(c.path, ".") == c.key) {
			t.Errorf("%q vs %q: %v, strings.Join says otherwise", c.path, c.key, got)
		}
	}
	if mayHaveVirtualDefs([]string{"services", "nginx", "virtualHosts"}) || mayHaveVirtualDefs(nil) {
		t.Error("services.nginx.virtualHosts (or the root) taken for a path virtualDefs defines")
	}
}
