#!/usr/bin/env bash
# Makes what the services' images are built from: the health probe (<output-dir>/probe) and the root filesystem
# of the offline base image: a jlink'd Java runtime from the JDK that runs the
# build, the shared libraries it links against (copied from the build machine, found with ldd), and the few files a
# JVM expects in /etc. Jib puts it on `scratch`, so the images can be built with no registry at all (CI reaches
# none). See docs/deployment.md, "Images".
#
#   deploy/image/runtime-rootfs.sh <output-dir>
#
# Linux only (the runtime and the libraries are the build machine's). Nothing is downloaded. Run again, it reuses
# <output-dir> while the JDK and this script are unchanged.
set -euo pipefail

out=${1:?usage: runtime-rootfs.sh <output-dir>}
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
jlink="$java_home/bin/jlink"
[[ "$(uname -s)" == Linux ]] || { echo "runtime-rootfs.sh: the offline base is built on Linux only" >&2; exit 1; }
[[ -x "$jlink" && -d "$java_home/jmods" ]] || {
  echo "runtime-rootfs.sh: $java_home has no jlink or no jmods (Debian: apt-get install openjdk-17-jdk-headless)" >&2
  exit 1
}

# What the services use: Spring Boot (java.desktop for java.beans, java.instrument, java.management, java.naming,
# java.sql), Kafka's clients and SASL/SCRAM and Kerberos logins (java.security.sasl, java.security.jgss,
# jdk.security.auth, jdk.security.jgss), TLS with EC keys (jdk.crypto.ec), Netty and gRPC (jdk.unsupported),
# the MongoDB driver's SRV look-ups (jdk.naming.dns), JFR and JMX diagnostics (jdk.jfr, jdk.management*),
# and every charset a producer may declare (jdk.charsets).
modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.management.rmi,\
java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,\
java.transaction.xa,java.xml,jdk.charsets,jdk.crypto.cryptoki,jdk.crypto.ec,jdk.jfr,jdk.localedata,jdk.management,\
jdk.management.agent,jdk.management.jfr,jdk.naming.dns,jdk.net,jdk.security.auth,jdk.security.jgss,jdk.unsupported,\
jdk.zipfs

here=$(dirname "$0")
stamp="$("$java_home/bin/java" -version 2>&1 | tr -d '\n') $(cat "$0" "$here/probe/HealthProbe.java" | sha256sum | cut -d' ' -f1)"
if [[ -f "$out/.stamp" && "$(cat "$out/.stamp")" == "$stamp" ]]; then
  exit 0
fi
rm -rf "$out"
rootfs="$out/rootfs"
# The health check both image variants carry (no shell or curl in these images): compiled for Java 17.
"$java_home/bin/javac" --release 17 -d "$out/probe" "$here/probe/HealthProbe.java"
mkdir -p "$rootfs/opt/java" "$rootfs/etc" "$rootfs/tmp"

"$jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$rootfs/opt/java/openjdk"

# A server has no display, sound or fonts to render: drop the desktop module's native parts that would pull in X11,
# ALSA, FreeType and the like (java.beans, the reason java.desktop is here, needs none of them).
for gui in libawt_xawt libsplashscreen libjsound libfontmanager liblcms libjavajpeg; do
  rm -f "$rootfs/opt/java/openjdk/lib/$gui.so"
done

# Every shared library the runtime's binaries need, at the path the build machine has it (the ELF interpreter's
# path is written into each binary), copied as files rather than symlinks.
find "$rootfs/opt/java/openjdk" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper \) -print0 |
  xargs -0 ldd 2>/dev/null |
  grep -oE '(/[^ ]+\.so[^ ]*)' |
  grep -v "^$rootfs" |
  sort -u |
  while read -r lib; do
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
  done
# Name service switch: resolve through /etc/hosts first, then DNS (the container runtime writes both files).
# libc's own files and dns back ends (glibc 2.34+) need nothing more.
printf 'hosts: files dns\n' > "$rootfs/etc/nsswitch.conf"
# The services' user: a fixed uid/gid, so Kubernetes can check runAsNonRoot.
printf 'root:x:0:0:root:/root:/sbin/nologin\neventing:x:10001:10001:eventing:/tmp:/sbin/nologin\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\neventing:x:10001:\n' > "$rootfs/etc/group"

echo "$stamp" > "$out/.stamp"
echo "runtime-rootfs.sh: $(du -sh "$rootfs" | cut -f1) in $rootfs"
