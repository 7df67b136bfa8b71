// enable_reflection.h — server reflection for the backends.
//
// Kept out of council_common on purpose: linking gRPC's reflection library
// registers its plugin for every server in the process, and the gateway must
// not describe the suite's API to callers without a token. Backends call
// EnableServerReflection() in main; the gateway never links this library.
#ifndef COUNCIL_COMMON_REFLECTION_ENABLE_REFLECTION_H_
#define COUNCIL_COMMON_REFLECTION_ENABLE_REFLECTION_H_

namespace council {

// EnableServerReflection
//
// Makes every server built afterwards in this process serve gRPC reflection.
void EnableServerReflection();

}  // namespace council

#endif  // COUNCIL_COMMON_REFLECTION_ENABLE_REFLECTION_H_
