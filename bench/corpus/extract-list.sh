#!/usr/bin/env bash
# Like extract.sh, but reads the list named by REPOS (one
# 'owner/repo commit [options]' a line) instead of bench/corpus/repos.txt.
#
#   REPOS=bench/corpus/tune.txt MIRROR=/work/.mirror bash bench/corpus/extract-list.sh OUT
#
# Writes only into OUT: one folder a repository (owner+repo) with its .nix
# files, flake.lock files and TOML/JSON data files (those over 256 KiB dropped).
set -euo pipefail
list="${REPOS:?REPOS=list file}"
out="${1:?OUT dir}"
mirror="${MIRROR:-/work/.mirror}"
mkdir -p "$out"
n=0 skipped=0
while read -r repo commit _; do
	case "$repo" in '#'* | '') continue ;; esac
	name="${repo/\//+}"
	git_dir="$mirror/$name/repo"
	if ! git --git-dir="$git_dir" cat-file -e "$commit^{commit}" 2>/dev/null; then
		echo "skip $repo: no fetched copy with commit $commit in $git_dir" >&2
		skipped=$((skipped + 1))
		continue
	fi
	rm -rf "${out:?}/$name"
	mkdir -p "$out/$name"
	git --git-dir="$git_dir" ls-tree -r --name-only "$commit" |
		grep -E '(\.nix|(^|/)flake\.lock|\.toml|\.json)$' |
		xargs -r -d '\n' git --literal-pathspecs --git-dir="$git_dir" archive --format=tar "$commit" -- |
		tar -x -i -C "$out/$name"
	find "$out/$name" -type f \( -name '*.json' -o -name '*.toml' \) -size +256k -delete
	n=$((n + 1))
done <"$list"
echo "extracted $n repositories into $out ($skipped skipped)" >&2
