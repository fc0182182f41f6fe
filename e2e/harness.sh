#!/usr/bin/env bash
# Two NixOS-like hosts on one machine, for verify's end-to-end test:
#   ritchie  an x86_64 builder: its own /nix store and nix.conf, a nix-daemon
#            and an sshd on $E2E_ADDR:$E2E_PORT, in a user+mount namespace
#            with a private binfmt_misc (kernel >= 6.7);
#   pi       the client: its own store, nix.conf and /etc/hosts, for commands
#            run through `harness.sh client CMD...`.
# Traffic stays on 127.0.0.0/8; name lookups use files only.
#
#   harness.sh up | down | status
#   harness.sh client CMD...        run CMD as pi (nix sees pi's store and config)
#   harness.sh emulate | unemulate  "deploy" boot.binfmt.emulatedSystems = [ "aarch64-linux" ] on ritchie
#   harness.sh trust USER           add USER to ritchie's trusted-users (restarts its daemon)
#   harness.sh authorize USER PUB   "deploy" users.users.USER.openssh.authorizedKeys: add the key PUB to USER on ritchie
#   harness.sh machines-line USER [KEY]  print pi's machines line for ritchie
set -euo pipefail

W=${E2E_WORKDIR:-/tmp/nixbuild-lint-e2e}
PORT=${E2E_PORT:-2222}
ADDR=${E2E_ADDR:-127.0.0.2}
DEAD_ADDR=${E2E_DEAD_ADDR:-127.0.0.3}
RI=$W/ritchie
PI=$W/pi

die() { echo "harness: $*" >&2; exit 2; }

need_root() {
	[ "$(id -u)" -eq 0 ] || die "the end-to-end harness needs real root (mount namespaces, bind mounts, uid maps)"
}

alive() { # pid, expected command substring
	[ -n "${1:-}" ] && [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' < "/proc/$1/cmdline" | grep -q -- "$2"
}

ri_conf() {
	cat > "$RI/etc-nix/nix.conf" <<CONF
build-users-group =
substituters =
builders =
sandbox = false
experimental-features = nix-command
trusted-users = root ${TRUSTED_EXTRA:-}
${EXTRA_PLATFORMS:+extra-platforms = $EXTRA_PLATFORMS}
CONF
}

up() {
	need_root
	down >/dev/null 2>&1 || true
	mkdir -p "$RI"/{nix,etc-nix,etc,ssh/authorized_keys,home} "$PI"/{nix,etc-nix,etc,ssh,home}
	mkdir -p /nix /etc/nix # mount points, if Nix is not set up on this machine
	ssh-keygen -q -t ed25519 -N '' -f "$RI/ssh/host_ed25519" -C ritchie
	ssh-keygen -q -t ed25519 -N '' -f "$PI/ssh/id_ed25519" -C root@pi
	ssh-keygen -q -t ed25519 -N '' -f "$PI/ssh/id_unauthorized" -C stranger
	ssh-keygen -q -t ed25519 -N '' -f "$PI/ssh/impostor_host" -C impostor
	cp /etc/passwd /etc/group /etc/shadow "$RI/etc/"
	echo "nixremote:x:4711:4711:remote builds:$RI/home:/bin/bash" >> "$RI/etc/passwd"
	echo "nixremote:x:4711:" >> "$RI/etc/group"
	echo "nixremote:*:19000:0:99999:7:::" >> "$RI/etc/shadow"
	printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files\n' > "$RI/etc/nsswitch.conf"
	cp "$RI/etc/nsswitch.conf" "$PI/etc/nsswitch.conf"
	cp "$PI/ssh/id_ed25519.pub" "$RI/ssh/authorized_keys/root"
	cp "$PI/ssh/id_ed25519.pub" "$RI/ssh/authorized_keys/nixremote"
	chmod 755 "$RI/home"
	ri_conf
	cat > "$RI/sshd_config" <<CONF
ListenAddress $ADDR:$PORT
HostKey $RI/ssh/host_ed25519
AuthorizedKeysFile $RI/ssh/authorized_keys/%u
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UseDNS no
PidFile none
CONF
	cat > "$PI/etc-nix/nix.conf" <<CONF
build-users-group =
sandbox = false
substituters =
max-jobs = 0
builders =
experimental-features = nix-command
CONF
	# ritchie2 and ritchie3 are more names for ritchie: separate machines to
	# Nix (own job slots), one builder underneath.
	printf '127.0.0.1 localhost\n%s ritchie ritchie2 ritchie3\n%s unreachable\n' "$ADDR" "$DEAD_ADDR" > "$PI/etc/hosts"
	cat > "$PI/ssh/config" <<CONF
Host ritchie unreachable
  Port $PORT
  HostKeyAlias ritchie
Host ritchie2
  Port $PORT
  HostKeyAlias ritchie2
Host ritchie3
  Port $PORT
  HostKeyAlias ritchie3
Host *
  BatchMode yes
  IdentitiesOnly yes
  UserKnownHostsFile $PI/ssh/known_hosts
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  ConnectTimeout 5
CONF
	: > "$PI/ssh/known_hosts"

	# ritchie: a user namespace (identity-mapped, so still root, and uid
	# 4711 exists) with its own mounts and binfmt_misc; the child waits on a
	# FIFO until the maps are written from outside.
	fifo="$RI/start.fifo"
	mkfifo "$fifo"
	unshare --user --mount --propagation private -- bash -c '
		read -r _ < "$0"
		RI="$1"
		mount --bind "$RI/nix" /nix
		mount --bind "$RI/etc-nix" /etc/nix
		for f in passwd group shadow nsswitch.conf; do mount --bind "$RI/etc/$f" "/etc/$f"; done
		mount -t tmpfs none /run && mkdir -p /run/sshd
		mount -t binfmt_misc none /proc/sys/fs/binfmt_misc
		( nix-daemon < /dev/null > "$RI/daemon.log" 2>&1 & echo $! > "$RI/daemon.pid" )
		exec /usr/sbin/sshd -D -e -f "$RI/sshd_config" 2> "$RI/sshd.log"
	' "$fifo" "$RI" < /dev/null > "$RI/namespace.log" 2>&1 &
	pid=$!
	echo "$pid" > "$RI/sshd.pid"
	# Wait until unshare has made the namespace, then map it.
	for _ in $(seq 1 200); do
		[ "$(readlink "/proc/$pid/ns/user" 2>/dev/null)" != "$(readlink /proc/self/ns/user)" ] && break
		sleep 0.01
	done
	echo "0 0 65536" > "/proc/$pid/uid_map"
	echo "0 0 65536" > "/proc/$pid/gid_map"
	echo go > "$fifo"
	for _ in $(seq 1 100); do
		if grep -q "Server listening on" "$RI/sshd.log" 2>/dev/null && [ -S "$RI/nix/var/nix/daemon-socket/socket" ]; then
			echo "ritchie is up (sshd pid $pid, $ADDR:$PORT)"
			return 0
		fi
		alive "$pid" sshd || alive "$pid" unshare || { cat "$RI/sshd.log" >&2 2>/dev/null; die "ritchie's sshd did not start"; }
		sleep 0.1
	done
	cat "$RI/sshd.log" >&2 2>/dev/null || true
	die "ritchie did not come up in 10 s"
}

in_ritchie() {
	pid=$(cat "$RI/sshd.pid")
	alive "$pid" sshd || die "ritchie is not running"
	nsenter --target "$pid" --user --mount -- "$@"
}

emulate() {
	EXTRA_PLATFORMS=aarch64-linux TRUSTED_EXTRA="${TRUSTED_EXTRA:-$(cat "$RI/trusted" 2>/dev/null || true)}" ri_conf
	in_ritchie sh -c '[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || printf "%b" ":qemu-aarch64:M::\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:/usr/bin/qemu-aarch64-static:F" > /proc/sys/fs/binfmt_misc/register'
	restart_daemon
	echo "ritchie emulates aarch64-linux"
}

unemulate() {
	TRUSTED_EXTRA="$(cat "$RI/trusted" 2>/dev/null || true)" ri_conf
	in_ritchie sh -c '[ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || echo -1 > /proc/sys/fs/binfmt_misc/qemu-aarch64'
	restart_daemon
}

restart_daemon() {
	old=$(cat "$RI/daemon.pid" 2>/dev/null || true)
	if alive "$old" nix-daemon; then kill "$old"; fi
	for _ in $(seq 1 50); do alive "$old" nix-daemon || break; sleep 0.05; done
	rm -f "$RI/nix/var/nix/daemon-socket/socket"
	in_ritchie bash -c '( nix-daemon < /dev/null >> "$0/daemon.log" 2>&1 & echo $! > "$0/daemon.pid" )' "$RI"
	for _ in $(seq 1 100); do [ -S "$RI/nix/var/nix/daemon-socket/socket" ] && return 0; sleep 0.05; done
	die "ritchie's nix-daemon did not restart"
}

trust() {
	echo "$1" > "$RI/trusted"
	if grep -q '^extra-platforms' "$RI/etc-nix/nix.conf"; then EXTRA_PLATFORMS=aarch64-linux; fi
	TRUSTED_EXTRA="$1" EXTRA_PLATFORMS="${EXTRA_PLATFORMS:-}" ri_conf
	restart_daemon
}

client() {
	need_root
	unshare --mount --propagation private -- bash -c '
		PI="$1"; shift
		mount --bind "$PI/nix" /nix
		mount --bind "$PI/etc-nix" /etc/nix
		mount --bind "$PI/etc/hosts" /etc/hosts
		mount --bind "$PI/etc/nsswitch.conf" /etc/nsswitch.conf
		export NIX_SSHOPTS="-F $PI/ssh/config" HOME="$PI/home"
		exec "$@"
	' _ "$PI" "$@"
}

machines_line() { # user [key] [hostkey-file] [host]
	user=$1 key=${2:-$PI/ssh/id_ed25519} hk=${3:-$RI/ssh/host_ed25519.pub} host=${4:-ritchie}
	printf 'ssh-ng://%s@%s aarch64-linux,x86_64-linux %s 1 1 - - %s\n' "$user" "$host" "$key" "$(base64 -w0 "$hk")"
}

down() {
	for f in "$RI/daemon.pid" "$RI/sshd.pid"; do
		pid=$(cat "$f" 2>/dev/null || true)
		if alive "$pid" nix-daemon || alive "$pid" sshd || alive "$pid" unshare; then kill "$pid" 2>/dev/null || true; fi
	done
	sleep 0.2
	# The private binfmt_misc instance (and its qemu registration) ends with
	# the namespace; the stores are plain directories.
	rm -rf "$W"
	echo "cleaned up $W"
}

case "${1:-}" in
up) up ;;
down) down ;;
status) alive "$(cat "$RI/sshd.pid" 2>/dev/null)" sshd && echo up || { echo down; exit 1; } ;;
client) shift; client "$@" ;;
emulate) emulate ;;
unemulate) unemulate ;;
trust) trust "$2" ;;
authorize) cat "$3" >> "$RI/ssh/authorized_keys/$2" ;;
machines-line) shift; machines_line "$@" ;;
*) die "usage: harness.sh up|down|status|client CMD...|emulate|unemulate|trust USER|authorize USER PUB|machines-line USER [KEY] [HOSTKEY] [HOST]" ;;
esac
