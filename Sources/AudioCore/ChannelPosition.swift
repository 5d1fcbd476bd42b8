/// Where a channel is meant to be heard, from the file's own channel map
/// (WAVE_FORMAT_EXTENSIBLE mask, CAF layout, ...). BS.1770-4 weights depend on it.
public enum ChannelPosition: String, Sendable, Codable, CaseIterable {
    case mono, left, right, center
    case frontLeft = "front_left", frontRight = "front_right", frontCenter = "front_center"
    case rearCenter = "rear_center", rearLeft = "rear_left", rearRight = "rear_right"
    case lfe
    case frontLeftOfCenter = "front_left_of_center", frontRightOfCenter = "front_right_of_center"
    case sideLeft = "side_left", sideRight = "side_right"
    case topCenter = "top_center", topFrontLeft = "top_front_left", topFrontRight = "top_front_right"
    case topFrontCenter = "top_front_center", topRearLeft = "top_rear_left"
    case topRearRight = "top_rear_right", topRearCenter = "top_rear_center"
    case ambisonicW = "ambisonic_w", ambisonicX = "ambisonic_x"
    case ambisonicY = "ambisonic_y", ambisonicZ = "ambisonic_z"
}
