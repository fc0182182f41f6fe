#!/usr/bin/env bash
# Extracts the development corpus (bench/corpus/repos.txt) from fetched
# copies of the repositories into a git-ignored folder, one folder a
# repository (owner+repo), with only what the reader reads: .nix files,
# flake.lock, and the TOML/JSON data files that fleets load with
# fromTOML/fromJSON. Third-party files never enter this repository.
#
#   bash bench/corpus/extract.sh [OUT]     (default OUT: .corpus)
#   REPOS=bench/corpus/tune.txt bash bench/corpus/extract.sh OUT   (another list:
#   tune.txt, holdout.txt; one 'owner/repo commit [options]' a line)
#
# MIRROR (default /work/.mirror) holds one git directory a repository, at
# MIRROR/owner+repo/repo, as the search tool's fetch leaves them. A
# repository that is missing there, or lacks the listed commit, is skipped
# with a line on stderr.
set -euo pipefail
list="$(realpath "${REPOS:-$(dirname "$0")/repos.txt}")"
out="$(realpath -m "${1:-$(dirname "$0")/../../.corpus}")"
cd "$(dirname "$0")/../.."
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
	# A snapshot lacks files of 4 MiB and more (the search tool's fetch):
	# only files whose content is there are taken (git archive stops at the
	# first missing one); what was listed is checked below.
	want="$(git --git-dir="$git_dir" ls-tree -r --format='%(objectname) %(path)' "$commit" |
		grep -E '(\.nix|[ /]flake\.lock|\.toml|\.json)$' |
		git --git-dir="$git_dir" cat-file --batch-check='%(objectname) %(objecttype) %(rest)' |
		awk '$2 == "blob" { sub(/^[^ ]+ [^ ]+ /, ""); print }' || true)"
	printf '%s\n' "$want" |
		xargs -r -d '\n' git --literal-pathspecs --git-dir="$git_dir" archive --format=tar "$commit" -- 2>/dev/null |
		tar -x -i -C "$out/$name"
	missing="$(cd "$out/$name" && printf '%s\n' "$want" | while IFS= read -r f; do
		[ -z "$f" ] || [ -e "$f" ] || [ -L "$f" ] || echo "$f"
	done)"
	if [ -n "$missing" ]; then
		echo "incomplete $repo: $(printf '%s\n' "$missing" | wc -l) listed files not extracted, first: $(printf '%s\n' "$missing" | head -1)" >&2
	fi
	# Data files larger than 256 KiB are no fleet's host list.
	find "$out/$name" -type f \( -name '*.json' -o -name '*.toml' \) -size +256k -delete
	n=$((n + 1))
done <"$list"
echo "extracted $n repositories into $out ($skipped skipped)" >&2
