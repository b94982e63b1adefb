/* A stand-in for bcryptprimitives.dll, for the tests under Wine 8.0 only: Wine 8.0 has
 * no such DLL, and Rust's standard library takes its random numbers from its ProcessPrng.
 * This one draws them from RtlGenRandom (advapi32's SystemFunction036). Windows 10 and
 * later have the real DLL: this file is never shipped, in the installer or the zip.
 *
 *   x86_64-w64-mingw32-gcc -O2 -shared -o bcryptprimitives.dll bcryptprimitives.c -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
