# Shell functions shared by ./mvnw and ./backprop: find a JDK >= 25.0.3 on this machine, whatever the
# default `java` is. Looks in $JAVA_HOME, then `javac` on the PATH, then the usual install folders.
# Source it; then `backprop_find_jdk` prints the JDK's home or returns 1.

backprop_required_major=25
backprop_required_update=3

backprop_version_ok() { # $1 = path to a java binary
  local v major rest update
  v=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.version = //p' | head -n1)
  [ -n "$v" ] || return 1
  major=${v%%.*}; rest=${v#*.}; rest=${rest#*.}; update=${rest%%[!0-9]*}
  [ "$v" = "$major" ] && update=0
  major=${major%%[!0-9]*}   # "26-ea" -> 26
  [ -n "$major" ] || return 1
  [ -n "$update" ] || update=0
  if [ "$major" -gt "$backprop_required_major" ] 2>/dev/null; then return 0; fi
  [ "$major" -eq "$backprop_required_major" ] 2>/dev/null && [ "$update" -ge "$backprop_required_update" ]
}

backprop_find_jdk() {
  local candidates=() c
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    c=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")"); candidates+=("$c")
  fi
  for c in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/* "${HOME:-/nonexistent}"/.sdkman/candidates/java/* "${HOME:-/nonexistent}"/.jdks/* \
           /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$c" ] && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    if [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] && backprop_version_ok "$c/bin/java"; then
      echo "$c"; return 0
    fi
  done
  return 1
}

backprop_no_jdk_message() {
  echo "backprop needs a JDK ${backprop_required_major}.0.${backprop_required_update} or newer; none was found in JAVA_HOME, on the PATH or in the usual folders (/usr/lib/jvm, /opt)." >&2
  echo "Install one (for example Temurin 25) and/or set JAVA_HOME to it, then run this again." >&2
}

# Runs a java command line ("$@") and passes its stderr through, less the line the JVM prints first whenever the
# Vector API incubator module is enabled ("WARNING: Using incubator modules: jdk.incubator.vector"), which tells a
# user nothing they can act on. After that line the stream is copied as it comes (progress bars still draw).
# Returns the command's exit status.
backprop_java() {
  local status=0
  # stdout goes straight to fd 3 (this shell's stdout); stderr goes through the filter
  { "$@" 2>&1 1>&3 3>&- | backprop_drop_incubator_warning >&2; status=${PIPESTATUS[0]}; } 3>&1 || true
  return "$status"
}

backprop_drop_incubator_warning() {
  local first=""
  if IFS= read -r first; then
    [ "$first" = "WARNING: Using incubator modules: jdk.incubator.vector" ] || printf '%s\n' "$first"
    cat
  else
    printf '%s' "$first"
  fi
}
