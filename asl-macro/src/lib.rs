//! asl!
