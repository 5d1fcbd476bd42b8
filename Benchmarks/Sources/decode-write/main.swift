// The floor under any whole job: decode every file of a batch and write it back
// unchanged (same rate, 16-bit WAV) through TrackGate's own reader and writer,
// in blocks of 16,384 frames as the pipeline reads them, on `--jobs` threads.
//   decode-write OUTDIR FILE... [--jobs N]
// 16-bit samples survive the float round trip exactly (the writer scales by the
// factor the reader divides by), so the copies equal their sources.
import AudioCore
import AudioIO
import Foundation
import Synchronization

var arguments = Array(CommandLine.arguments.dropFirst())
var jobs = ProcessInfo.processInfo.activeProcessorCount
if let flag = arguments.firstIndex(of: "--jobs"), flag + 1 < arguments.count {
    jobs = max(1, Int(arguments[flag + 1]) ?? jobs)
    arguments.removeSubrange(flag...(flag + 1))
}
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: decode-write OUTDIR FILE... [--jobs N]\n".utf8))
    exit(64)
}
let folder = arguments[0]
let files = Array(arguments.dropFirst())
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)

@Sendable func copy(_ path: String) throws(AudioIOError) {
    var file = try SoundFile(path: path)
    let name = (path as NSString).lastPathComponent
    var writer = try SoundFileWriter(path: "\(folder)/\(name)", format: .wav16, sampleRate: file.info.sampleRate,
                                     channelCount: file.info.channelCount, replaceExisting: true)
    var block = AudioBlock(channelCount: file.info.channelCount, capacity: 16_384)
    while try file.read(into: &block) { try writer.write(block) }
    try writer.commit()
}

let next = Atomic(0)
let failures = Atomic(0)
// Each worker takes the next file until none is left, as `trackgate batch` does.
DispatchQueue.concurrentPerform(iterations: min(jobs, files.count)) { _ in
    while case let index = next.add(1, ordering: .relaxed).oldValue, index < files.count {
        do { try copy(files[index]) } catch {
            FileHandle.standardError.write(Data("decode-write: \(error)\n".utf8))
            failures.add(1, ordering: .relaxed)
        }
    }
}
exit(failures.load(ordering: .relaxed) == 0 ? 0 : 1)
