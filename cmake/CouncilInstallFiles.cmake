# CouncilInstallFiles.cmake — runs at INSTALL time (from install(CODE) in
# CouncilPackaging.cmake), not at configure time.
#
# It writes each service's default flags file and systemd unit with the real
# installed paths, which are only known once the install prefix is:
#
#   prefix /usr (the Debian packages)  -> /etc/council/..., /lib/systemd/system
#   any other prefix P                 -> P/etc/council/..., P/lib/systemd/system
#
# (GNU's rule: /usr's configuration lives in /etc.) Binaries go to P/sbin or
# P/bin and shared data to P/share either way. DESTDIR is honoured by
# file(INSTALL), so `DESTDIR=/stage cmake --install build --prefix /usr` and
# CPack (CPACK_SET_DESTDIR) stage the same tree.
#
# Expects COUNCIL_SOURCE_DIR and COUNCIL_BINARY_DIR to be set by the caller.

function(council_install_layout)
  string(REGEX REPLACE "/+$" "" prefix "${CMAKE_INSTALL_PREFIX}")
  if(prefix STREQUAL "/usr" OR prefix STREQUAL "")
    set(sysconfdir "/etc")
    set(unitdir "/lib/systemd/system")
    set(prefix "/usr")
  else()
    set(sysconfdir "${prefix}/etc")
    set(unitdir "${prefix}/lib/systemd/system")
  endif()
  set(COUNCIL_PREFIX "${prefix}" PARENT_SCOPE)
  set(COUNCIL_SYSCONFDIR "${sysconfdir}" PARENT_SCOPE)
  set(COUNCIL_UNITDIR "${unitdir}" PARENT_SCOPE)
  set(COUNCIL_SBINDIR "${prefix}/sbin" PARENT_SCOPE)
  set(COUNCIL_BINDIR "${prefix}/bin" PARENT_SCOPE)
  set(COUNCIL_DATADIR "${prefix}/share" PARENT_SCOPE)
endfunction()

# council_install_service_files(<service> <binary> <description> <after>)
#
# Installs <sysconfdir>/council/<service>/<service>.flags (from
# packaging/flags/<service>.flags.in) and <unitdir>/council-<service>.service
# (from packaging/systemd/council-service.service.in).
function(council_install_service_files service binary description after)
  council_install_layout()
  set(COUNCIL_SERVICE "${service}")
  set(COUNCIL_BINARY "${binary}")
  set(COUNCIL_DESCRIPTION "${description}")
  set(COUNCIL_AFTER "${after}")
  set(COUNCIL_UNIT "council-${service}.service")
  if(service STREQUAL "gateway")
    set(COUNCIL_RELOAD "# SIGHUP re-reads the JWKS file (key rotation) and the TLS certificates, keys,\n# CAs and CRL without dropping calls.\nExecReload=/bin/kill -HUP $MAINPID")
  else()
    set(COUNCIL_RELOAD "# SIGHUP re-reads the TLS certificates, keys, CAs and CRL without dropping\n# calls (other settings need a restart).\nExecReload=/bin/kill -HUP $MAINPID")
  endif()
  string(MD5 stage_key "${COUNCIL_PREFIX}")
  set(stage "${COUNCIL_BINARY_DIR}/packaging-stage/${stage_key}")
  configure_file("${COUNCIL_SOURCE_DIR}/packaging/flags/${service}.flags.in"
                 "${stage}/${service}.flags" @ONLY)
  configure_file("${COUNCIL_SOURCE_DIR}/packaging/systemd/council-service.service.in"
                 "${stage}/${COUNCIL_UNIT}" @ONLY)
  file(INSTALL "${stage}/${service}.flags"
       DESTINATION "${COUNCIL_SYSCONFDIR}/council/${service}"
       FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
  file(INSTALL "${stage}/${COUNCIL_UNIT}"
       DESTINATION "${COUNCIL_UNITDIR}"
       FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
endfunction()
