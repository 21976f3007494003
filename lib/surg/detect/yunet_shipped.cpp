// The YuNet model file, compiled in (models/yunet/README.md): the assembler copies its bytes
// into the library's read-only data, so the binary needs no model directory for it.
// SURG_YUNET_FILE is set for this file alone (CMakeLists.txt).
asm(".section .rodata\n"
    ".balign 16\n"
    ".global surg_yunet_320_begin\n"
    ".hidden surg_yunet_320_begin\n"
    "surg_yunet_320_begin:\n"
    ".incbin \"" SURG_YUNET_FILE
    "\"\n"
    ".global surg_yunet_320_end\n"
    ".hidden surg_yunet_320_end\n"
    "surg_yunet_320_end:\n"
    ".previous\n");
