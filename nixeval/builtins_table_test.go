package nixeval

import (
	"encoding/json"
	"os/exec"
	"reflect"
	"testing"
)

// TestBuiltinTable: every builtin of the table, on an expression whose
// value the test states; where Nix 2.8 has the builtin, the real
// nix-instantiate must give the same value.
func TestBuiltinTable(t *testing.T) {
	cases := []struct {
		name, expr, want string
		nix28            bool // Nix 2.8 has it: checked against nix-instantiate too
	}{
		{"fromTOML", `builtins.fromTOML "a = 1\nb = [ \"x\", 2.5 ]\n[hosts.pi]\nsystem = \"aarch64-linux\"\n[[builders]]\nname = \"hub\""`,
			`{"a":1,"b":["x",2.5],"builders":[{"name":"hub"}],"hosts":{"pi":{"system":"aarch64-linux"}}}`, true},
		{"addErrorContext", `builtins.addErrorContext "while reading" 42`, `42`, true},
		{"unsafeGetAttrPos", "(builtins.unsafeGetAttrPos \"b\" { a = 1;\n b = 2; }).line", `2`, true},
		{"unsafeGetAttrPos missing", `builtins.unsafeGetAttrPos "c" { a = 1; }`, `null`, true},
		{"hashString", `[ (builtins.hashString "sha256" "nix") (builtins.hashString "md5" "") ]`,
			`["a0745f7ed88cfac6058d1d4cfb57bc71127a28ad7c6756004142a90aab5ee99f","d41d8cd98f00b204e9800998ecf8427e"]`, true},
		{"convertHash", `builtins.convertHash { hash = "sha256-gBX6dAXow9eVj8X8pih/YHQKBnh3mVW5lY+rXnW7O28="; toHashFormat = "base16"; }`,
			`"8015fa7405e8c3d7958fc5fca6287f60740a0678779955b9958fab5e75bb3b6f"`, false}, // Nix 2.19+; the narHash of TestSourceStorePath
		{"compareVersions", `map (p: builtins.compareVersions (builtins.elemAt p 0) (builtins.elemAt p 1)) [ [ "1.0" "2.3" ] [ "2.3" "2.3" ] [ "2.3.1" "2.3" ] [ "2.3pre1" "2.3" ] [ "2.3a" "2.3" ] [ "1.0-rc1" "1.0" ] ]`,
			`[-1,0,1,-1,1,1]`, true},
		{"splitVersion", `builtins.splitVersion "2.3.1pre-rc1"`, `["2","3","1","pre","rc","1"]`, true},
		{"parseDrvName", `builtins.parseDrvName "nix-2.8.1-man"`, `{"name":"nix","version":"2.8.1-man"}`, true},
		// In Nix a store path string; for the reader the tree's own path.
		{"path", `builtins.path { path = ./.; name = "x"; } == ./.`, `true`, false},
		{"filterSource", `builtins.isPath (builtins.filterSource (p: t: true) ./.)`, `true`, false},
		{"genericClosure", `map (x: x.key) (builtins.genericClosure { startSet = [ { key = 1; } ]; operator = x: if x.key < 4 then [ { key = x.key + 1; } { key = x.key; } ] else [ ]; })`,
			`[1,2,3,4]`, true},
		{"isFunction", `[ (builtins.isFunction (x: x)) (builtins.isFunction builtins.map) (builtins.isFunction 1) ]`, `[true,true,false]`, true},
		{"ceil floor", `[ (builtins.ceil 1.5) (builtins.floor 1.5) (builtins.floor (-1.5)) (builtins.ceil 2) ]`, `[2,1,-2,2]`, true},
		{"toFile", `builtins.baseNameOf (builtins.toFile "builders" "b1 x86_64-linux")`, `"00000000000000000000000000000000-builders"`, false},
		{"storePath", `builtins.storePath "/nix/store/00000000000000000000000000000000-x"`, `"/nix/store/00000000000000000000000000000000-x"`, false},
		{"context", `[ (builtins.hasContext "a") (builtins.getContext "a") (builtins.unsafeDiscardStringContext "a") (builtins.appendContext "a" { }) (builtins.unsafeDiscardOutputDependency "a") ]`,
			`[false,{},"a","a","a"]`, true},
		{"break", `builtins.break 7`, `7`, false}, // the debugger's breakpoint (newer Nix)
	}
	nix, _ := exec.LookPath("nix-instantiate")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, ev := evalText(t, tc.expr)
			x, ok := ev.ToGo(v, 0)
			if !ok {
				t.Fatalf("unknown: %s", show(ev, v))
			}
			got, _ := json.Marshal(x)
			if !sameJSON(string(got), tc.want) {
				t.Errorf("got %s, want %s", got, tc.want)
			}
			if !tc.nix28 {
				return
			}
			if nix == "" {
				t.Fatal("nix-instantiate not found (scripts/test.sh installs nix-bin)")
			}
			out, err := exec.Command(nix, "--eval", "--strict", "--json", "-E", tc.expr).Output()
			if err != nil {
				t.Fatalf("nix-instantiate: %v", err)
			}
			if !sameJSON(string(out), tc.want) {
				t.Errorf("real Nix gives %s, the test wants %s", out, tc.want)
			}
		})
	}
}

func sameJSON(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}
