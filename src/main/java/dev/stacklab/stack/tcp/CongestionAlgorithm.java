package dev.stacklab.stack.tcp;

/** The congestion control algorithms a connection can use; each makes a fresh {@link CongestionControl}. */
public enum CongestionAlgorithm {
    /** RFC 5681 with RFC 6582's fast recovery: {@link NewReno}. */
    NEW_RENO {
        @Override
        public CongestionControl create(int mss) {
            return new NewReno(mss);
        }
    },
    /** RFC 9438: {@link Cubic}. */
    CUBIC {
        @Override
        public CongestionControl create(int mss) {
            return new Cubic(mss);
        }
    };

    /** A new instance for one connection whose MSS is {@code mss} so far. */
    public abstract CongestionControl create(int mss);
}
