import Foundation
import RequestModel
import Testing

/// Sonic's and Producer's task answers: several clips, each a track, and a
/// duration written as a number, a string, null or not at all.
@Suite struct ClipAnswerTests {
    static let sonic = """
    {"code": 200, "message": "success", "data": [
     {"clip_id": "5d1e-aaaa", "title": "Neon City", "tags": "synthwave", "lyrics": "[Verse]", "state": "succeeded",
      "audio_url": "https://cdn.example/5d1e-aaaa.mp3", "duration": 104, "mv": "sonic-v4-5", "created_at": "2026-11-29T10:00:00Z"},
     {"clip_id": "5d1e-bbbb", "title": "Neon City", "tags": "synthwave", "lyrics": "[Verse]", "state": "succeeded",
      "audio_url": "https://cdn.example/5d1e-bbbb.mp3", "duration": "104.88", "mv": "sonic-v4-5", "created_at": "2026-11-29T10:00:00Z"}]}
    """

    static let producer = """
    {"code": 200, "status": "SUCCESS", "message": "success", "data": [
     {"clip_id": "ac78-0001", "title": "Rainy Desk", "sound": null, "lyrics": "",
      "audio_url": "https://cdn.example/producer/ac78-0001.m4a", "wav_url": "https://cdn.example/producer/ac78-0001-wav.wav",
      "image_url": "https://cdn.example/i.png"}]}
    """

    func validate(_ text: String) throws -> ClipAnswerValidation {
        let json = try JSONValue.parse(Data(text.utf8))
        #expect(ClipAnswer.looksLikeAnswer(json))
        return ClipAnswer.validate(json)
    }

    @Test func sonicAnswerWithTwoClipsAndBothDurationSpellings() throws {
        let v = try validate(Self.sonic)
        #expect(v.isValid && v.issues.isEmpty, "\(v.issues)")
        let a = try #require(v.answer)
        #expect(a.service == .sonic && a.clips.count == 2)
        #expect(a.clips[0].duration == 104 && !a.clips[0].durationWasText)
        #expect(a.clips[1].duration == 104.88 && a.clips[1].durationWasText)
        // Each clip is a track, found by its id or its download's name.
        #expect(a.clip(forFileStem: "5d1e-bbbb")?.clipID == "5d1e-bbbb")
        #expect(a.clip(forFileStem: "Neon City - 5d1e-aaaa")?.clipID == "5d1e-aaaa")
        #expect(a.clip(forFileStem: "song") == nil)
    }

    /// Producer documents the clip's duration as optional: its absence is no issue.
    @Test func producerAnswerWithoutDuration() throws {
        let v = try validate(Self.producer)
        let a = try #require(v.answer)
        #expect(a.service == .producer && a.status == "SUCCESS" && a.clips.count == 1)
        #expect(a.clips[0].duration == nil)
        #expect(v.issues.isEmpty)
        // One clip: whatever the file is called, it is that clip.
        #expect(a.clip(forFileStem: "rainy-desk")?.clipID == "ac78-0001")
        #expect(a.clips[0].downloadStem == "ac78-0001")
    }

    @Test func producerAnswerWithNullDurationAndPendingStatus() throws {
        let pending = Self.producer.replacingOccurrences(of: "\"SUCCESS\"", with: "\"RUNNING\"")
            .replacingOccurrences(of: "\"sound\": null", with: "\"sound\": null, \"duration\": null")
        let v = try validate(pending)
        #expect(v.isValid)
        #expect(v.issues.map(\.path) == ["status"])
    }

    @Test func brokenAnswersAreNamed() throws {
        #expect(try validate(#"{"code": 200, "data": [{"title": "x", "state": "succeeded", "audio_url": "u", "duration": 3}]}"#)
            .issues.map(\.path) == ["data[0].clip_id"])
        #expect(try validate(#"{"code": 200, "data": [{"clip_id": "c", "state": "done", "audio_url": "u"}]}"#)
            .issues.map(\.path) == ["data[0].state"])
        #expect(try validate(#"{"code": 200, "data": [{"clip_id": "c", "state": "succeeded", "duration": "long"}]}"#)
            .issues.map(\.path) == ["data[0].duration", "data[0].audio_url"])
        #expect(try validate(#"{"code": 200, "status": "DONE", "data": [{"clip_id": "c", "audio_url": "u", "duration": 3}]}"#)
            .issues.map(\.path) == ["status"])
        #expect(try validate(#"{"code": 200, "data": [{"clip_id": "c", "state": "succeeded", "audio_url": "u", "duration": -3}]}"#)
            .isValid == false)
    }

    @Test func aServiceErrorAnswerSaysTheCallFailed() throws {
        let v = try validate(#"{"code": 400, "data": null, "message": "The prompt character length should be less than 3000."}"#)
        #expect(!v.isValid && v.issues.first?.message.contains("the call failed with code 400") == true)
    }

    @Test func nuroTaskAnswerIsNotAClipAnswer() throws {
        let nuro = try JSONValue.parse(Data(#"{"task_id": "t", "status": "succeeded", "duration": 30}"#.utf8))
        #expect(!ClipAnswer.looksLikeAnswer(nuro) && TaskAnswer.looksLikeTask(nuro))
    }
}
