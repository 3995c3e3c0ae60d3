/* Test-only stand-in for Windows 10's bcryptprimitives.dll, which Wine 8
   (Debian 12) lacks and Rust's standard library imports for ProcessPrng.
   Real Windows has the DLL: this is never shipped, only put beside loa.exe
   in the Wine test folder. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
