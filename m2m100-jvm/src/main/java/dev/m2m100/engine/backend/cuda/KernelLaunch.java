package dev.m2m100.engine.backend.cuda;

/** Something that launches a named kernel; {@link KernelLauncher} on a device, a recorder in ABI tests. */
public interface KernelLaunch {

    /**
     * @param shapes a short description of the operands (e.g. "rows=40 d=1024"), put into error messages
     */
    void launch(String kernel, Dim3 grid, Dim3 block, int sharedBytes, String shapes, KernelArgs args);
}
