package org.leantrain.ode;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.DoubleByReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The collocation NLP solved by Ipopt (interior point, filter line search, MUMPS) through its C interface, loaded with
 * JNA from Debian's {@code coinor-libipopt1v5} ({@code libipopt.so.1}; set {@code LEANTRAIN_IPOPT} to another path).
 * The Hessian is Ipopt's limited-memory approximation (the core autograd is first order); path constraints are hard
 * inequality rows here, where the Gauss–Newton solver uses hinge penalties. {@link #isAvailable()} is false when the
 * library cannot be loaded, and callers skip this backend.
 */
public final class IpoptJnaSolver implements NlpSolver {
    private static final double INF = 1e20;
    private static String unavailableReason = "not loaded yet";
    private static final IpoptLibrary LIB = load();

    /** The functions of IpStdCInterface.h (Ipopt 3.11): Number = double, Index = Int = Bool = int. */
    interface IpoptLibrary extends Library {
        Pointer CreateIpoptProblem(int n, double[] xL, double[] xU, int m, double[] gL, double[] gU, int neleJac,
                int neleHess, int indexStyle, EvalF f, EvalG g, EvalGradF gradF, EvalJacG jacG, EvalH h);

        void FreeIpoptProblem(Pointer problem);

        int AddIpoptStrOption(Pointer problem, String key, String value);

        int AddIpoptNumOption(Pointer problem, String key, double value);

        int AddIpoptIntOption(Pointer problem, String key, int value);

        int SetIntermediateCallback(Pointer problem, Intermediate cb);

        int IpoptSolve(Pointer problem, double[] x, double[] g, DoubleByReference objVal, double[] multG,
                double[] multXL, double[] multXU, Pointer userData);
    }

    public interface EvalF extends Callback {
        int invoke(int n, Pointer x, int newX, Pointer objValue, Pointer userData);
    }

    public interface EvalGradF extends Callback {
        int invoke(int n, Pointer x, int newX, Pointer gradF, Pointer userData);
    }

    public interface EvalG extends Callback {
        int invoke(int n, Pointer x, int newX, int m, Pointer g, Pointer userData);
    }

    public interface EvalJacG extends Callback {
        int invoke(int n, Pointer x, int newX, int m, int neleJac, Pointer iRow, Pointer jCol, Pointer values,
                Pointer userData);
    }

    public interface EvalH extends Callback {
        int invoke(int n, Pointer x, int newX, double objFactor, int m, Pointer lambda, int newLambda, int neleHess,
                Pointer iRow, Pointer jCol, Pointer values, Pointer userData);
    }

    public interface Intermediate extends Callback {
        int invoke(int algMod, int iter, double obj, double infPr, double infDu, double mu, double dNorm,
                double regularization, double alphaDu, double alphaPr, int lsTrials, Pointer userData);
    }

    private static IpoptLibrary load() {
        List<String> candidates = new ArrayList<>();
        String env = System.getenv("LEANTRAIN_IPOPT");
        if (env != null && !env.isBlank()) {
            candidates.add(env);
        }
        candidates.addAll(List.of("/usr/lib/libipopt.so.1", "/usr/lib/x86_64-linux-gnu/libipopt.so.1",
                "libipopt.so.1", "ipopt"));
        StringBuilder why = new StringBuilder();
        for (String name : candidates) {
            try {
                IpoptLibrary lib = Native.load(name, IpoptLibrary.class);
                unavailableReason = null;
                return lib;
            } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                String msg = String.valueOf(e.getMessage());
                if (msg.contains("GFORTRAN")) {
                    unavailableReason = "libipopt.so.1 is installed but ND4J loaded JavaCPP's older libgfortran first;"
                            + " start the JVM with -Dorg.bytedeco.javacpp.pathsFirst=true"
                            + " -Djava.library.path=/lib/x86_64-linux-gnu (e.g. in LEANTRAIN_JAVA_OPTS)";
                    return null;
                }
                why.append(name).append(": ").append(msg.lines().findFirst().orElse("")).append("; ");
            }
        }
        unavailableReason = "Ipopt not found (apt-get install coinor-libipopt1v5, or set LEANTRAIN_IPOPT): " + why;
        return null;
    }

    public static boolean isAvailable() {
        return LIB != null;
    }

    /** Why {@link #isAvailable()} is false, with what to do; null when available. */
    public static String unavailableReason() {
        return unavailableReason;
    }

    private final double thetaBound;
    private final int printLevel;

    /** Bounds |θ_i| ≤ thetaBound (∞ for none); Ipopt's print level (0 silent … 5 verbose). */
    public IpoptJnaSolver(double thetaBound, int printLevel) {
        this.thetaBound = thetaBound;
        this.printLevel = printLevel;
    }

    public IpoptJnaSolver() {
        this(Double.POSITIVE_INFINITY, 0);
    }

    /** Ipopt's status code, for messages. */
    static String statusName(int code) {
        return switch (code) {
            case 0 -> "Solve_Succeeded";
            case 1 -> "Solved_To_Acceptable_Level";
            case 2 -> "Infeasible_Problem_Detected";
            case -1 -> "Maximum_Iterations_Exceeded";
            case -2 -> "Restoration_Failed";
            case -3 -> "Error_In_Step_Computation";
            case -13 -> "Invalid_Number_Detected";
            default -> "status " + code;
        };
    }

    @Override
    public SolveResult solve(CollocationProblem p, double[] z0, SolverOptions o) {
        if (!isAvailable()) {
            throw new IllegalStateException("the Ipopt backend is unavailable: " + unavailableReason
                    + "; or use GaussNewtonSqpSolver");
        }
        p.setHingePenalty(0); // path constraints are hard rows here
        return new Session(p, o).run(z0);
    }

    /** One solve: the problem's sparsity, the callbacks (strongly held until the solve returns) and the log. */
    private final class Session {
        private final CollocationProblem p;
        private final SolverOptions options;
        private final int n;
        private final int mColloc;
        private final int mPath;
        private final int[] jacRows;
        private final int[] jacCols;
        private final List<SolveResult.IterLog> log = new ArrayList<>();
        private final long start = System.nanoTime();
        private double[] cachedZ;
        private CollocationProblem.Linearization cachedLin;
        private int badNode = -1;
        // Strong references: JNA callbacks must outlive the native solve.
        private final EvalF evalF = this::evalF;
        private final EvalGradF evalGradF = this::evalGradF;
        private final EvalG evalG = this::evalG;
        private final EvalJacG evalJacG = this::evalJacG;
        private final EvalH evalH = (n, x, newX, objFactor, m, lambda, newLambda, nele, iRow, jCol, values, ud) -> 0;
        private final Intermediate intermediate = this::intermediate;

        Session(CollocationProblem p, SolverOptions options) {
            this.p = p;
            this.options = options;
            this.n = p.variableCount();
            this.mColloc = p.nX;
            this.mPath = p.constraints.size() * p.nodes;
            List<int[]> entries = new ArrayList<>();
            for (int i = 0; i < p.n; i++) {
                for (int j = 0; j < p.m; j++) {
                    for (int d = 0; d < p.nx; d++) {
                        int row = (i * p.m + j) * p.nx + d;
                        for (int k = 0; k < p.m; k++) {
                            for (int d2 = 0; d2 < p.nx; d2++) {
                                if (d2 == d || k == j) {
                                    entries.add(new int[] {row, (i * p.m + k) * p.nx + d2});
                                }
                            }
                        }
                        int prev = p.stateIndex(i, 0, d);
                        if (prev >= 0 && prev < p.nX) {
                            entries.add(new int[] {row, prev});
                        }
                        for (int q = 0; q < p.np; q++) {
                            entries.add(new int[] {row, p.nX + q});
                        }
                    }
                }
            }
            for (int c = 0; c < p.constraints.size(); c++) {
                for (int k = 0; k < p.nodes; k++) {
                    int row = mColloc + c * p.nodes + k;
                    for (int d = 0; d < p.nx; d++) {
                        entries.add(new int[] {row, k * p.nx + d});
                    }
                    for (int q = 0; q < p.nTheta; q++) {
                        entries.add(new int[] {row, p.nX + p.x0Cols + q});
                    }
                }
            }
            jacRows = entries.stream().mapToInt(e -> e[0]).toArray();
            jacCols = entries.stream().mapToInt(e -> e[1]).toArray();
        }

        SolveResult run(double[] z0) {
            double[] xL = new double[n];
            double[] xU = new double[n];
            java.util.Arrays.fill(xL, -INF);
            java.util.Arrays.fill(xU, INF);
            if (Double.isFinite(thetaBound)) {
                for (int q = 0; q < p.nTheta; q++) {
                    xL[p.nX + p.x0Cols + q] = -thetaBound;
                    xU[p.nX + p.x0Cols + q] = thetaBound;
                }
            }
            int m = mColloc + mPath;
            double[] gL = new double[m];
            double[] gU = new double[m];
            for (int c = 0; c < p.constraints.size(); c++) {
                PathConstraint pc = p.constraints.get(c);
                for (int k = 0; k < p.nodes; k++) {
                    gL[mColloc + c * p.nodes + k] = Double.isFinite(pc.lo()) ? pc.lo() : -INF;
                    gU[mColloc + c * p.nodes + k] = Double.isFinite(pc.hi()) ? pc.hi() : INF;
                }
            }
            Pointer problem = LIB.CreateIpoptProblem(n, xL, xU, m, gL, gU, jacRows.length, 0, 0, evalF, evalG,
                    evalGradF, evalJacG, evalH);
            if (problem == null) {
                throw new IllegalStateException("Ipopt could not create the problem (n = " + n + ", m = " + m + ")");
            }
            try {
                LIB.AddIpoptStrOption(problem, "hessian_approximation", "limited-memory");
                LIB.AddIpoptStrOption(problem, "mu_strategy", "adaptive");
                LIB.AddIpoptStrOption(problem, "linear_solver", "mumps");
                LIB.AddIpoptNumOption(problem, "tol", 1e-8);
                LIB.AddIpoptNumOption(problem, "acceptable_tol", 1e-5);
                LIB.AddIpoptNumOption(problem, "constr_viol_tol", options.tolC());
                LIB.AddIpoptIntOption(problem, "max_iter", options.maxIter());
                LIB.AddIpoptNumOption(problem, "bound_push", 1e-2);
                LIB.AddIpoptNumOption(problem, "bound_frac", 1e-2);
                LIB.AddIpoptIntOption(problem, "print_level", printLevel);
                LIB.SetIntermediateCallback(problem, intermediate);
                double[] x = z0.clone();
                double[] g = new double[m];
                DoubleByReference obj = new DoubleByReference();
                long jac0 = p.jacEvals;
                long rhs0 = p.rhsEvals;
                int status = LIB.IpoptSolve(problem, x, g, obj, new double[m], new double[n], new double[n], null);
                CollocationProblem.Evaluation e = p.evaluate(x);
                SolveResult.Status s = status == 0 || status == 1 ? SolveResult.Status.CONVERGED
                        : status == -1 ? SolveResult.Status.MAX_ITERATIONS
                        : status == -13 || badNode >= 0 ? SolveResult.Status.NUMERICAL_ERROR
                        : SolveResult.Status.STALLED;
                String message = "Ipopt " + statusName(status)
                        + (badNode >= 0 ? "; f or its Jacobian was not finite at node " + badNode : "");
                return new SolveResult(x, log.isEmpty() ? 0 : log.get(log.size() - 1).iteration(),
                        (int) (p.jacEvals - jac0), p.rhsEvals - rhs0, e.f, e.cInf, s, message, List.copyOf(log));
            } finally {
                LIB.FreeIpoptProblem(problem);
            }
        }

        private CollocationProblem.Linearization linearization(double[] z) {
            if (cachedZ == null || !java.util.Arrays.equals(cachedZ, z)) {
                cachedLin = p.linearize(z);
                cachedZ = z.clone();
                if (cachedLin.badNode >= 0) {
                    badNode = cachedLin.badNode;
                }
            }
            return cachedLin;
        }

        private int evalF(int nn, Pointer x, int newX, Pointer objValue, Pointer ud) {
            CollocationProblem.Evaluation e = p.evaluate(x.getDoubleArray(0, n));
            if (e.badNode >= 0 || !Double.isFinite(e.f)) {
                badNode = Math.max(badNode, e.badNode);
                return 0;
            }
            objValue.setDouble(0, e.f);
            return 1;
        }

        /** ∇F = J_rᵀ r + λθ (data rows are linear in z; hinge rows are zero here). */
        private int evalGradF(int nn, Pointer x, int newX, Pointer gradF, Pointer ud) {
            double[] z = x.getDoubleArray(0, n);
            CollocationProblem.Evaluation e = p.evaluate(z);
            if (e.badNode >= 0) {
                return 0;
            }
            double[] grad = new double[n];
            for (int row = 0; row < p.dataIdx.length; row++) {
                for (int q = 0; q < p.dataIdx[row].length; q++) {
                    grad[p.dataIdx[row][q]] += p.dataCoef[row][q] * e.r[row];
                }
            }
            for (int q = 0; q < p.nTheta; q++) {
                grad[p.nX + p.x0Cols + q] += p.lambda * z[p.nX + p.x0Cols + q];
            }
            gradF.write(0, grad, 0, n);
            return 1;
        }

        private int evalG(int nn, Pointer x, int newX, int m, Pointer g, Pointer ud) {
            double[] z = x.getDoubleArray(0, n);
            CollocationProblem.Evaluation e = p.evaluate(z);
            if (e.badNode >= 0) {
                return 0;
            }
            double[] out = new double[m];
            System.arraycopy(e.c, 0, out, 0, mColloc);
            if (mPath > 0) {
                double[] theta = p.theta(z);
                double[] phi = p.phi(z);
                PeNodeModel.RowRhs rhs = p.model.rowRhs();
                double[] f = new double[p.nx];
                for (int k = 0; k < p.nodes; k++) {
                    double[] xs = p.nodeState(z, k);
                    rhs.eval(xs, p.nodeInputs[k], p.nodeTimes[k], theta, phi, f);
                    double[] y = rhs.lastNetworkOutput();
                    for (int c = 0; c < p.constraints.size(); c++) {
                        out[mColloc + c * p.nodes + k] = p.constraints.get(c).gRow().apply(xs, y);
                    }
                }
            }
            g.write(0, out, 0, m);
            return 1;
        }

        private int evalJacG(int nn, Pointer x, int newX, int m, int nele, Pointer iRow, Pointer jCol, Pointer values,
                Pointer ud) {
            if (values == null) {
                iRow.write(0, jacRows, 0, jacRows.length);
                jCol.write(0, jacCols, 0, jacCols.length);
                return 1;
            }
            CollocationProblem.Linearization lin = linearization(x.getDoubleArray(0, n));
            if (lin.badNode >= 0) {
                return 0;
            }
            double[] v = new double[jacRows.length];
            double[][] d = p.radau.d();
            int e = 0;
            for (int i = 0; i < p.n; i++) {
                for (int j = 0; j < p.m; j++) {
                    for (int dd = 0; dd < p.nx; dd++) {
                        int local = j * p.nx + dd;
                        for (int k = 0; k < p.m; k++) {
                            for (int d2 = 0; d2 < p.nx; d2++) {
                                if (d2 == dd || k == j) {
                                    v[e++] = lin.e[i][local][k * p.nx + d2];
                                }
                            }
                        }
                        int prev = p.stateIndex(i, 0, dd);
                        if (prev >= 0 && prev < p.nX) {
                            v[e++] = d[j][0];
                        }
                        int zRow = (i * p.m + j) * p.nx + dd;
                        for (int q = 0; q < p.np; q++) {
                            double val = lin.g[zRow * p.np + q];
                            if (i == 0 && p.x0Free && q == dd) {
                                val += d[j][0]; // x_{0,0} is the free x_0, a column of p
                            }
                            v[e++] = val;
                        }
                    }
                }
            }
            for (int c = 0; c < p.constraints.size(); c++) {
                for (int k = 0; k < p.nodes; k++) {
                    for (int dd = 0; dd < p.nx; dd++) {
                        v[e++] = lin.path.dx()[c][k][dd];
                    }
                    for (int q = 0; q < p.nTheta; q++) {
                        v[e++] = lin.path.dtheta()[c][k][q];
                    }
                }
            }
            values.write(0, v, 0, v.length);
            return 1;
        }

        private int intermediate(int algMod, int iter, double obj, double infPr, double infDu, double mu, double dNorm,
                double reg, double alphaDu, double alphaPr, int lsTrials, Pointer ud) {
            log.add(new SolveResult.IterLog(iter, obj, infPr, mu, alphaPr, (System.nanoTime() - start) / 1e9));
            return 1;
        }
    }
}
