import AudioIO
import Foundation
import RequestModel

/// Lists a batch's tracks from its `INPUT` arguments: folders and JSON Lines
/// manifests (`../shared/reference/cli-contract.md`). Listing never stops at a
/// bad entry: the entry becomes a track with a `problem`, so one broken line
/// costs one track, not the batch.
public enum BatchInventory {
    /// Extensions taken for audio in a folder: what libsndfile decodes, and
    /// what FFmpeg's libraries decode for TrackGate (MP4/M4A, ADTS AAC, Matroska/WebM).
    public static let audioExtensions: Set<String> = [
        "wav", "wave", "bwf", "rf64", "w64", "flac", "ogg", "oga", "opus", "mp3", "aif", "aiff", "aifc", "caf", "au", "snd",
        "m4a", "mp4", "aac", "mka", "webm",
    ]

    /// The tracks of every input, in the order given (folders sorted by name,
    /// manifests in line order). A later track whose id is taken gets a problem.
    public static func collect(_ inputs: [String]) -> [BatchTrack] {
        var tracks: [BatchTrack] = []
        for input in inputs {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue {
                tracks += folder(input)
            } else if FileManager.default.fileExists(atPath: input) {
                tracks += manifest(input)
            } else {
                tracks.append(BatchTrack(id: input, audio: nil, request: nil, origin: input,
                                         problem: "\(input): no such file or folder", problemKind: .file(.missing)))
            }
        }
        return markDuplicates(tracks)
    }

    /// A folder's tracks: `NAME.<audio ext>` with `NAME.request.json` (and,
    /// optionally, `NAME.task.json`) beside it. Sonic and Producer clips may
    /// instead lie beside their task's answer, `TASK.task.json` with
    /// `TASK.request.json`: a clip file named by its `clip_id` (or by the name
    /// its `audio_url` ends in) is paired with them, and a clip the answer lists
    /// but the folder lacks is reported as missing. Not recursive: an output
    /// folder inside the input folder is never read back as input.
    public static func folder(_ path: String) -> [BatchTrack] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            return [BatchTrack(id: path, audio: nil, request: nil, origin: path,
                               problem: "\(path): cannot list the folder: \(error.localizedDescription)",
                               problemKind: .file(.unreadable))]
        }
        let present = Set(names)
        let dir = path as NSString
        var tracks: [BatchTrack] = []
        var audioIDs = Set<String>()
        let answers = clipAnswers(names: names, in: dir)
        // "TASK\0CLIP" of every clip a file was paired with, and that file. A file
        // named exactly as the clip owns it, whatever sorts first ("CLIP (1).mp3").
        var pairedClips: [String: String] = [:]
        for name in names where audioExtensions.contains((name as NSString).pathExtension.lowercased()) {
            let id = TrackID.of(audioPath: name)
            guard !present.contains("\(id).request.json") else { continue }
            for answer in answers {
                if let clip = answer.clips.first(where: { $0.id == id || $0.stem == id }) {
                    pairedClips["\(answer.task)\u{0}\(clip.id)"] = dir.appendingPathComponent(name)
                    break
                }
            }
        }
        for name in names {
            let ext = (name as NSString).pathExtension.lowercased()
            guard audioExtensions.contains(ext) else { continue }
            let id = TrackID.of(audioPath: name)
            audioIDs.insert(id)
            let audio = dir.appendingPathComponent(name)
            var track = BatchTrack(id: id, audio: audio, request: nil, origin: audio)
            // The clips of other tasks' answers this file's name is.
            let matching = answers.compactMap { answer in answer.clip(for: id).map { (answer: answer, clip: $0) } }
            // The clip the file is, in a task's answer: the one it is paired with, or its own NAME.task.json's.
            var owned: (answer: FolderAnswer, clip: String)?
            if present.contains("\(id).request.json") {
                track.request = .file(dir.appendingPathComponent("\(id).request.json"))
            } else if matching.count > 1 {
                // One file, clips of two tasks: which task made it cannot be told.
                track.problem = "\(audio): the name matches clips of \(matching.count) task answers ("
                    + matching.map { "\($0.answer.task).task.json" }.joined(separator: ", ") + "): name the task and clip in a manifest"
                track.problemKind = .file(.missing)
            } else if let (answer, clip) = matching.first {
                owned = (answer, clip)
                track.clip = clip
                track.task = .file(dir.appendingPathComponent("\(answer.task).task.json"))
                if let first = pairedClips["\(answer.task)\u{0}\(clip)"], first != audio {
                    // "CLIP (1).mp3" beside "CLIP.mp3": two downloads of one clip, one delivery name.
                    track.problem = "\(audio): a second file for clip \(clip) of \(answer.task).task.json (the first is "
                        + "\(first)): remove the copy, or give it its own request"
                    track.problemKind = .invalidID
                } else if present.contains("\(answer.task).request.json") {
                    track.request = .file(dir.appendingPathComponent("\(answer.task).request.json"))
                } else {
                    track.problem = "\(audio): clip \(clip) of \(answer.task).task.json has no request: expected "
                        + "\(answer.task).request.json beside the answer"
                    track.problemKind = .file(.missing)
                }
            } else {
                track.problem = "\(audio): no request: expected \(id).request.json beside it"
                track.problemKind = .file(.missing)
            }
            if track.task == nil, present.contains("\(id).task.json") {
                track.task = .file(dir.appendingPathComponent("\(id).task.json"))
                if let answer = answers.first(where: { $0.task == id }),
                   let clip = answer.clip(for: id) ?? (answer.clips.count == 1 ? answer.clips[0].id : nil) {
                    owned = (answer, clip)
                }
            }
            if let owned, pairedClips["\(owned.answer.task)\u{0}\(owned.clip)"] == nil {
                pairedClips["\(owned.answer.task)\u{0}\(owned.clip)"] = audio
            }
            if let problem = TrackID.problem(id) {
                track.problem = "\(audio): \(problem)"
                track.problemKind = .invalidID
            }
            tracks.append(track)
        }
        // A delivered clip an answer lists that is not in the folder is a download
        // that went missing (a clip that failed or is not finished has nothing to download).
        for answer in answers {
            let file = dir.appendingPathComponent("\(answer.task).task.json")
            if answer.clips.isEmpty && !audioIDs.contains(answer.task) {
                tracks.append(BatchTrack(id: answer.task, audio: nil, request: nil, origin: file,
                                         problem: "\(file): the answer lists no clips, and no audio is named for the task",
                                         problemKind: .file(.missing)))
            }
            for clip in answer.clips where clip.delivered && pairedClips["\(answer.task)\u{0}\(clip.id)"] == nil {
                // Paired by a file of its own name with its own request.
                if audioIDs.contains(where: { ClipAnswer.ClipName.match($0, among: [clip]) != nil }) { continue }
                tracks.append(BatchTrack(id: clip.id, audio: nil, request: nil, origin: file,
                                         problem: "\(file): clip \(clip.id) is in the answer but not in the folder "
                                             + "(expected \(clip.id).<mp3|m4a|...>: a download that went missing?)",
                                         problemKind: .file(.missing)))
            }
        }
        // A request with no audio is a download that went missing: say so.
        for name in names where name.hasSuffix(".request.json") {
            let id = String(name.dropLast(".request.json".count))
            guard !audioIDs.contains(id) else { continue }
            // A task's request: its clips are tracks of their own, listed above.
            guard !answers.contains(where: { $0.task == id }) else { continue }
            let request = dir.appendingPathComponent(name)
            tracks.append(BatchTrack(id: id, audio: nil, request: .file(request), origin: request,
                                     problem: "\(request): no audio file \(id).<wav|flac|...> beside the request",
                                     problemKind: .file(.missing)))
        }
        return tracks
    }

    /// A Sonic or Producer answer in a folder: its task name (`TASK.task.json`)
    /// and the clips it lists, by `clip_id` and by the name their `audio_url` ends in.
    struct FolderAnswer {
        var task: String
        var clips: [ClipAnswer.ClipName]

        /// The clip id a file stem is (`ClipAnswer.ClipName.match`).
        func clip(for stem: String) -> String? { ClipAnswer.ClipName.match(stem, among: clips)?.id }
    }

    /// The folder's Sonic and Producer answers (`*.task.json` holding a `data`
    /// list of clips); files that cannot be read are left to the tracks that use them.
    static func clipAnswers(names: [String], in dir: NSString) -> [FolderAnswer] {
        names.filter { $0.hasSuffix(".task.json") }.compactMap { name in
            guard case .success(let document) = JSONInput.read(dir.appendingPathComponent(name)),
                  ClipAnswer.looksLikeAnswer(document.value) else { return nil }
            // A clip id that cannot name files cannot be a download's name either.
            let clips = ClipAnswer.clipNames(in: document.value).filter { TrackID.problem($0.id) == nil }
            return FolderAnswer(task: String(name.dropLast(".task.json".count)), clips: clips)
        }
    }

    /// The largest manifest read: 1 GiB, some millions of lines.
    public static let maximumManifestBytes = 1 << 30

    /// A JSON Lines manifest: one `{"id", "audio", "request", "task"}` object a
    /// line; paths are relative to the manifest's folder; blank lines are skipped.
    ///
    /// Each line is read on its own (`JSONParser` in line layout, under the
    /// request size limit), so a broken line becomes one track with a problem
    /// naming the line and column, and every other line is checked as usual.
    public static func manifest(_ path: String) -> [BatchTrack] {
        var data: [UInt8]
        do throws(AudioIOError) {
            data = try RegularFile.contents(of: path, limit: maximumManifestBytes, expecting: "a manifest")
        } catch {
            return [BatchTrack(id: path, audio: nil, request: nil, origin: path, problem: error.description,
                               problemKind: .file(error.kind))]
        }
        // A UTF-16 manifest is read whole as such before its lines are split
        // (messages then give columns, not byte offsets).
        let transcoded: Bool
        do throws(JSONReadError) {
            let text = try JSONParser.utf8Text(data)
            data = text.text
            transcoded = text.warning != nil
        } catch {
            return [BatchTrack(id: path, audio: nil, request: nil, origin: path, problem: "\(path): \(error.message)",
                               problemKind: .json(error.kind))]
        }
        let base = ((path as NSString).deletingLastPathComponent as NSString)
        func resolve(_ p: String) -> String { p.hasPrefix("/") || base.length == 0 ? p : base.appendingPathComponent(p) }

        var tracks: [BatchTrack] = []
        for (number, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let origin = "\(path):\(number + 1)"
            guard line.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) else { continue }
            tracks.append(manifestLine(line, origin: origin, lineOffset: transcoded ? nil : line.startIndex, resolve: resolve))
        }
        return tracks
    }

    /// One manifest line as a track (a track with a problem when the line is broken).
    static func manifestLine(_ line: ArraySlice<UInt8>, origin: String, lineOffset: Int?,
                             resolve: (String) -> String) -> BatchTrack {
        var track = BatchTrack(id: origin, audio: nil, request: nil, origin: origin)
        guard line.count <= JSONInput.maximumBytes else {
            track.problem = "\(origin): the line is over 1 MiB, more than any request needs"
            track.problemKind = .json(.tooLarge)
            return track
        }
        let document: JSONDocument
        do throws(JSONReadError) {
            document = try JSONParser(layout: .line(lineOffset: lineOffset)).parse(line)
        } catch {
            track.problem = "\(origin): \(error.message)"
            track.problemKind = .json(error.kind)
            return track
        }
        guard case .object(let object) = document.value else {
            track.problem = "\(origin): expected a JSON object with \"audio\" and \"request\", found \(document.value.typeName)"
            track.problemKind = .manifestLine
            return track
        }
        var problems: [String] = []
        // A key given twice on the line itself leaves the track ambiguous (which
        // audio?), so it is refused; inside an inline request it is a warning.
        for warning in document.warnings where warning.position != nil && object.keys.contains(warning.path) {
            problems.append(warning.message.replacingOccurrences(of: "the last value is used", with: "a line names one track"))
        }
        let known: Set<String> = ["id", "audio", "request", "task", "clip"]
        for key in object.keys.sorted() where !known.contains(key) {
            problems.append("unknown key \"\(key)\" (a line has id, audio, request, task and clip)")
        }
        switch object["clip"] {
        case nil, .null?: break
        case .string(let clip)? where !clip.isEmpty:
            track.clip = clip
            if object["task"] == nil || object["task"] == .null {
                problems.append("\"clip\" names a clip of a Sonic or Producer task answer: give the answer as \"task\"")
            }
        default: problems.append("\"clip\" must be a clip_id (a string)")
        }
        switch object["audio"] {
        case .string(let audio) where !audio.isEmpty: track.audio = resolve(audio)
        case nil: problems.append("\"audio\" is missing")
        default: problems.append("\"audio\" must be a path")
        }
        switch object["id"] {
        case .string(let id): track.id = id
        case nil: if let audio = track.audio { track.id = TrackID.of(audioPath: audio) }
        default: problems.append("\"id\" must be a string")
        }
        func source(_ key: String) -> JSONSource? {
            switch object[key] {
            case .string(let p) where !p.isEmpty: return .file(resolve(p))
            case .object(let o):
                let inner = document.warnings.compactMap { warning -> JSONWarning? in
                    guard warning.path.hasPrefix("\(key).") else { return nil }
                    return JSONWarning(path: String(warning.path.dropFirst(key.count + 1)), at: warning.position, warning.message)
                }
                return .inline(.object(o), origin: "\(origin) \(key)", warnings: inner)
            case nil, .null: return nil
            default:
                problems.append("\"\(key)\" must be a path or a JSON object")
                return nil
            }
        }
        track.request = source("request")
        track.task = source("task")
        if object["request"] == nil || object["request"] == .null { problems.append("\"request\" is missing") }
        if !problems.isEmpty {
            track.problem = "\(origin): " + problems.joined(separator: "; ")
            track.problemKind = .manifestLine
        } else if let problem = TrackID.problem(track.id) {
            track.problem = "\(origin): \(problem)"
            track.problemKind = .invalidID
        }
        return track
    }

    /// Outputs are named by id, so two tracks with one id would overwrite each
    /// other: the first keeps it, later ones become problems.
    ///
    /// Ids that differ only in case (`Song`, `SONG`) name different files here
    /// but one file on a case-insensitive volume (macOS, SMB shares, Windows),
    /// where their outputs would overwrite each other: the later one is refused too.
    static func markDuplicates(_ tracks: [BatchTrack]) -> [BatchTrack] {
        var firstOrigin: [String: (id: String, origin: String)] = [:]
        return tracks.map { track in
            guard track.problem == nil else { return track }
            let folded = track.id.lowercased()
            if let first = firstOrigin[folded] {
                var duplicate = track
                duplicate.problem = first.id == track.id
                    ? "\(track.origin): the id \"\(track.id)\" is already used by \(first.origin)"
                    : "\(track.origin): the id \"\(track.id)\" differs from \"\(first.id)\" (\(first.origin)) only in case: "
                        + "on a case-insensitive volume their outputs would be one file; rename one"
                duplicate.problemKind = .invalidID
                return duplicate
            }
            firstOrigin[folded] = (track.id, track.origin)
            return track
        }
    }
}
