# CouncilPackaging.cmake — install rules and the Debian packages (CPack DEB,
# one package per component). Included at the end of the top-level
# CMakeLists.txt, after every target exists.
#
#   cmake --install build --prefix /opt/council      a tree to look at or copy
#   (cd build && cpack)                              build/packages/*.deb
#
# Installed layout (prefix P; P=/usr for the packages, whose configuration
# then goes to /etc and units to /lib/systemd/system — see
# CouncilInstallFiles.cmake):
#
#   P/sbin/{relations-service,access-service,complaints-service,gateway}
#   P/bin/{councilctl,council-backup,council-health}
#   P/etc/council/<service>/<service>.flags          default flags (--flagfile)
#   P/lib/systemd/system/council-<service>.service
#   P/share/council/profiles/*.textproto, P/share/council/gateway-policy.textproto
#   P/share/doc/council-common-data/operations.md
#
# Packages: council-relations, council-access, council-complaints,
# council-gateway (binary, flags file, unit, maintainer scripts creating the
# `council` user and /var/lib/council/<service>), council-common-data
# (profiles, gateway policy, runbook) and council-tools (councilctl,
# council-backup, council-health).

set(COUNCIL_PACKAGE_SERVICES relations access complaints gateway)
set(COUNCIL_BINARY_relations relations-service)
set(COUNCIL_BINARY_access access-service)
set(COUNCIL_BINARY_complaints complaints-service)
set(COUNCIL_BINARY_gateway gateway)
set(COUNCIL_SUMMARY_relations "relations-service: directory, declarations and conflict checks")
set(COUNCIL_SUMMARY_access "access-service: members' access to council documents")
set(COUNCIL_SUMMARY_complaints "complaints-service: member/officer complaints and deadlines")
set(COUNCIL_SUMMARY_gateway "gateway: token checks, method policy and call audit")
set(COUNCIL_AFTER_relations "")
set(COUNCIL_AFTER_access "council-relations.service")
set(COUNCIL_AFTER_complaints "council-relations.service")
set(COUNCIL_AFTER_gateway
    "council-relations.service council-access.service council-complaints.service")

# --- install rules ----------------------------------------------------------

foreach(service IN LISTS COUNCIL_PACKAGE_SERVICES)
  set(component council-${service})
  install(TARGETS ${COUNCIL_BINARY_${service}} RUNTIME DESTINATION sbin COMPONENT ${component})
  install(CODE "
    set(COUNCIL_SOURCE_DIR \"${PROJECT_SOURCE_DIR}\")
    set(COUNCIL_BINARY_DIR \"${PROJECT_BINARY_DIR}\")
    include(\"${PROJECT_SOURCE_DIR}/cmake/CouncilInstallFiles.cmake\")
    council_install_service_files(\"${service}\" \"${COUNCIL_BINARY_${service}}\"
        \"${COUNCIL_SUMMARY_${service}}\" \"${COUNCIL_AFTER_${service}}\")
    " COMPONENT ${component})
endforeach()

install(DIRECTORY ${PROJECT_SOURCE_DIR}/profiles/
        DESTINATION share/council/profiles
        COMPONENT council-common-data
        FILES_MATCHING PATTERN "*.textproto")
install(FILES ${PROJECT_SOURCE_DIR}/config/gateway-policy.textproto
        DESTINATION share/council
        COMPONENT council-common-data)
# The suite's first CA and certificates (each service's postinst runs it).
install(PROGRAMS ${PROJECT_SOURCE_DIR}/scripts/make-dev-certs.sh
        DESTINATION share/council
        COMPONENT council-common-data)
install(FILES ${PROJECT_SOURCE_DIR}/docs/operations.md
        DESTINATION share/doc/council-common-data
        COMPONENT council-common-data)

install(TARGETS councilctl council-backup council-health
        RUNTIME DESTINATION bin
        COMPONENT council-tools)

# --- Debian packages (CPack DEB) ---------------------------------------------

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "council")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "Council protocol suite")
set(CPACK_PACKAGE_CONTACT "Council IT <council-it@example.gov.uk>")
set(CPACK_OUTPUT_FILE_PREFIX "${PROJECT_BINARY_DIR}/packages")
# Install with DESTDIR and prefix /usr, so configuration lands in /etc and
# units in /lib/systemd/system (CouncilInstallFiles.cmake).
set(CPACK_SET_DESTDIR ON)
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING IGNORE)
set(CPACK_COMPONENTS_ALL
    council-relations council-access council-complaints council-gateway
    council-common-data council-tools)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(COUNCIL_DEB_VERSION "${PROJECT_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}")

# The bookworm runtime libraries the binaries link (scripts/package-test.sh
# checks that every shared library the installed binaries need belongs to a
# package named here).
set(COUNCIL_DEB_RUNTIME_DEPENDS
    "libgrpc++1.51 (>= 1.51.1)"
    "libgrpc29 (>= 1.51.1)"
    "libprotobuf32 (>= 3.21.12)"
    "libabsl20220623 (>= 20220623.1)"
    "libsqlite3-0 (>= 3.40.0)"
    "libssl3 (>= 3.0.0)"
    "libstdc++6 (>= 12)"
    "libgcc-s1"
    "libc6 (>= 2.36)")
list(JOIN COUNCIL_DEB_RUNTIME_DEPENDS ", " COUNCIL_DEB_RUNTIME)

foreach(service IN LISTS COUNCIL_PACKAGE_SERVICES)
  set(component council-${service})
  string(TOUPPER "${component}" COMPONENT)
  set(COUNCIL_SERVICE "${service}")
  set(COUNCIL_UNIT "council-${service}.service")
  set(scripts_dir "${PROJECT_BINARY_DIR}/packaging/${component}")
  foreach(script postinst prerm postrm)
    configure_file(${PROJECT_SOURCE_DIR}/packaging/debian/${script}.in
                   ${scripts_dir}/${script} @ONLY
                   FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE
                                    GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  endforeach()
  set(CPACK_DEBIAN_${COMPONENT}_PACKAGE_NAME "${component}")
  set(CPACK_DEBIAN_${COMPONENT}_PACKAGE_SECTION "net")
  # openssl: the postinst makes the service's audit keys with it.
  set(CPACK_DEBIAN_${COMPONENT}_PACKAGE_DEPENDS
      "council-common-data (>= ${COUNCIL_DEB_VERSION}), ${COUNCIL_DEB_RUNTIME}, passwd, openssl")
  set(CPACK_DEBIAN_${COMPONENT}_PACKAGE_RECOMMENDS "council-tools")
  # The flags file is a conffile: edits survive upgrades, and dpkg asks before
  # replacing an edited one.
  file(WRITE "${scripts_dir}/conffiles" "/etc/council/${service}/${service}.flags\n")
  set(CPACK_DEBIAN_${COMPONENT}_PACKAGE_CONTROL_EXTRA
      "${scripts_dir}/postinst;${scripts_dir}/prerm;${scripts_dir}/postrm;${scripts_dir}/conffiles")
  set(CPACK_DEBIAN_${COMPONENT}_DESCRIPTION
      "Council protocols: ${COUNCIL_SUMMARY_${service}}\n\
One process with its own SQLite database in /var/lib/council/${service}, run by\n\
systemd as the council user (council-${service}.service). Configuration:\n\
/etc/council/${service}/${service}.flags. See\n\
/usr/share/doc/council-common-data/operations.md.")
endforeach()

set(CPACK_DEBIAN_COUNCIL-COMMON-DATA_PACKAGE_NAME "council-common-data")
set(CPACK_DEBIAN_COUNCIL-COMMON-DATA_PACKAGE_ARCHITECTURE "all")
set(CPACK_DEBIAN_COUNCIL-COMMON-DATA_PACKAGE_SECTION "misc")
set(CPACK_DEBIAN_COUNCIL-COMMON-DATA_DESCRIPTION
    "Council protocols: council profiles, gateway policy and operations runbook\n\
The five council profiles (/usr/share/council/profiles), the gateway's method\n\
policy (/usr/share/council/gateway-policy.textproto) and the operations\n\
runbook (/usr/share/doc/council-common-data/operations.md).")

set(CPACK_DEBIAN_COUNCIL-TOOLS_PACKAGE_NAME "council-tools")
set(CPACK_DEBIAN_COUNCIL-TOOLS_PACKAGE_SECTION "admin")
set(CPACK_DEBIAN_COUNCIL-TOOLS_PACKAGE_DEPENDS "${COUNCIL_DEB_RUNTIME}")
set(CPACK_DEBIAN_COUNCIL-TOOLS_DESCRIPTION
    "Council protocols: councilctl, council-backup and council-health\n\
councilctl calls the suite through its gateway (and imports CSV files);\n\
council-backup takes online backups of a service's database, verifies them\n\
(integrity and audit chain) and restores them; council-health checks a\n\
service's gRPC health.")

include(CPack)

# tests/e2e/backup_e2e_test.cc runs the built council-backup.
if(TARGET e2e_tests)
  add_dependencies(e2e_tests council-backup)
endif()
