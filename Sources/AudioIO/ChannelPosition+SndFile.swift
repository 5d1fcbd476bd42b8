import AudioCore
import CSndFile

extension ChannelPosition {
    /// libsndfile numbers its `SF_CHANNEL_MAP_*` values from 1 in the order of
    /// `allCases`; 0 means invalid.
    init?(sfValue: Int32) {
        let index = Int(sfValue) - Int(SF_CHANNEL_MAP_MONO)
        guard index >= 0, index < Self.allCases.count else { return nil }
        self = Self.allCases[index]
    }
}
