/**
 * Room "engine": the single place that starts DJL (offline with the bundled CPU natives by default,
 * or the CUDA build / a user's libtorch when the persisted {@link org.utad.engine.EnginePreference}
 * says so), picks the device and says why ({@link org.utad.engine.DeviceReport}), explains native
 * library and GPU problems ({@link org.utad.engine.EngineInfo}), and holds the out-of-memory policy
 * ({@link org.utad.engine.DeviceFallback}).
 *
 * <p>Allowed imports: {@code ai.djl, com.sun.jna, org.utad.core}; JNA only to tune the C library's
 * allocator ({@code NativeHeap}) and to turn PyTorch's NNPACK off where NNPACK does not support the
 * processor ({@code Nnpack}).
 */
package org.utad.engine;
