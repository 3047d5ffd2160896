package dev.m2m100.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.kernels.KernelSources;

import org.junit.jupiter.api.Test;

/** The start-up path that turns our PTX into a cubin for the device runs without a GPU; check it here. */
class PtxAssemblerTest {

    @Test
    void everyModuleAssemblesToACubinForAmpereAndHopper() {
        for (String module : KernelSources.MODULES) {
            for (String arch : new String[] {"sm_80", "sm_86", "sm_89", "sm_90"}) {
                PtxAssembler.Result r = PtxAssembler.assemble(module, KernelSources.ptxBytes(module), arch, true);
                assertTrue(r.cubin().length > 1000, module + " " + arch);
                // ELF magic: the driver loads this with cuModuleLoadData.
                assertTrue(r.cubin()[0] == 0x7f && r.cubin()[1] == 'E' && r.cubin()[2] == 'L' && r.cubin()[3] == 'F');
                assertTrue(r.infoLog().contains("Used"), r.infoLog());
            }
        }
    }

    @Test
    void anUnknownArchitectureIsAClearErrorSoTheLoaderCanFallBackToTheDriverJit() {
        CudaException e = assertThrows(CudaException.class,
                () -> PtxAssembler.assemble("gemm", KernelSources.ptxBytes("gemm"), "sm_12345", false));
        assertTrue(e.getMessage().contains("gemm.ptx for sm_12345"), e.getMessage());
    }

    @Test
    void anOlderArchitectureThanThePtxTargetIsRejected() {
        // The PTX says .target sm_80; a Turing (sm_75) cubin cannot be made from it.
        assertThrows(CudaException.class,
                () -> PtxAssembler.assemble("topk", KernelSources.ptxBytes("topk"), "sm_75", false));
    }
}
