;; The complete-data rolling passes of rollingComplete.ts (Pearson, beta, covariance) in WebAssembly
;; SIMD. Compiled by scripts/wasm.mjs (wabt) into rollingComplete.wasm.ts, which the bundle embeds;
;; test/unit/market/rollingCompleteWasm.test.ts checks that the embedded bytes are this file's.
;;
;; The JS pass restarts its sums every L = RESTART·w outputs, so its blocks are independent: here
;; the two f64 lanes of each vector run two neighbouring blocks at once, lane 1 reading L values
;; after lane 0. Each lane does exactly the JS pass's operations in its order (f64x2 add, sub, mul,
;; div and sqrt are IEEE-exact per lane, and no fused multiply-add is used), so the outputs are
;; bit for bit those of the JS pass.
;;
;; Memory (laid out by rollingCompleteWasm.ts for one chunk of 2·pairs blocks):
;;   [x, +8·M)     x values: the chunk's first window start .. its last output (M = 2·pairs·L + w - 1)
;;   [y, +8·M)     y values, the same rows
;;   [out, +8·2·pairs·L)  outputs, block after block
;;   [st, +4·2·pairs)     per block: 0 done, 1 a (near-)constant window (redo it checked), 2 non-finite data
;; kind (RollKind): 0 Pearson, 1 beta, 2 covariance; the statuses follow the JS pass's margin:
;; Pearson flags a window whose variance is at or below 1e-13 of its shifted sum of squares, beta
;; keeps the smallest cxx - 1e-13·sxx (a NaN one included), covariance has none.
(module
  (memory (export "memory") 1)

  ;; roll(x, y, out, st, w, L, pairs, kind): the outputs of 2·pairs whole blocks of L outputs each
  (func (export "roll") (param $x i32) (param $y i32) (param $out i32) (param $st i32)
      (param $w i32) (param $L i32) (param $pairs i32) (param $kind i32)
    (local $k i32) (local $lb i32) (local $wb i32) (local $dy i32)
    (local $e i32) (local $p i32) (local $q i32) (local $end i32) (local $o i32)
    (local $iw v128) (local $tiny v128) (local $one v128) (local $mone v128)
    (local $kx v128) (local $ky v128)
    (local $sx v128) (local $sy v128) (local $sxx v128) (local $syy v128) (local $sxy v128)
    (local $xi v128) (local $yi v128) (local $xo v128) (local $yo v128) (local $ddx v128) (local $ddy v128)
    (local $my v128) (local $cxx v128) (local $cyy v128) (local $cxy v128) (local $r v128)
    (local $bad v128) (local $t v128) (local $m v128) (local $iw1 v128) (local $zero v128)
    (local.set $lb (i32.shl (local.get $L) (i32.const 3)))
    (local.set $wb (i32.shl (local.get $w) (i32.const 3)))
    (local.set $dy (i32.sub (local.get $y) (local.get $x)))
    ;; iw = 1 / w, as the JS pass computes it
    (local.set $iw (f64x2.splat (f64.div (f64.const 1) (f64.convert_i32_u (local.get $w)))))
    (local.set $tiny (f64x2.splat (f64.const 1e-13)))
    (local.set $one (f64x2.splat (f64.const 1)))
    (local.set $mone (f64x2.splat (f64.const -1)))
    ;; covariance's 1 / (w - 1), as the JS pass computes it (Infinity for w = 1)
    (local.set $iw1 (f64x2.splat (f64.div (f64.const 1) (f64.convert_i32_u (i32.sub (local.get $w) (i32.const 1))))))
    (block $pairsDone
      (loop $pair
        (br_if $pairsDone (i32.ge_u (local.get $k) (local.get $pairs)))
        ;; e: lane 0's first output row (the block's e0) in x; lane 1's is e + lb
        (local.set $e (i32.add (local.get $x)
          (i32.shl (i32.add (i32.mul (i32.shl (local.get $k) (i32.const 1)) (local.get $L))
                            (i32.sub (local.get $w) (i32.const 1))) (i32.const 3))))
        (local.set $o (i32.add (local.get $out)
          (i32.shl (i32.mul (i32.shl (local.get $k) (i32.const 1)) (local.get $L)) (i32.const 3))))
        ;; the shift: each block's value at its e0
        (local.set $kx (v128.load64_lane 1 (i32.add (local.get $e) (local.get $lb))
          (v128.load64_zero (local.get $e))))
        (local.set $q (i32.add (local.get $e) (local.get $dy)))
        (local.set $ky (v128.load64_lane 1 (i32.add (local.get $q) (local.get $lb))
          (v128.load64_zero (local.get $q))))
        ;; the first window summed from scratch (rows e0 - w + 1 .. e0)
        (local.set $sx (v128.const i64x2 0 0))
        (local.set $sy (v128.const i64x2 0 0))
        (local.set $sxx (v128.const i64x2 0 0))
        (local.set $syy (v128.const i64x2 0 0))
        (local.set $sxy (v128.const i64x2 0 0))
        (local.set $p (i32.add (i32.sub (local.get $e) (local.get $wb)) (i32.const 8)))
        (block $sumDone
          (loop $sum
            (br_if $sumDone (i32.gt_u (local.get $p) (local.get $e)))
            (local.set $q (i32.add (local.get $p) (local.get $dy)))
            (local.set $xi (f64x2.sub (v128.load64_lane 1 (i32.add (local.get $p) (local.get $lb))
              (v128.load64_zero (local.get $p))) (local.get $kx)))
            (local.set $yi (f64x2.sub (v128.load64_lane 1 (i32.add (local.get $q) (local.get $lb))
              (v128.load64_zero (local.get $q))) (local.get $ky)))
            (local.set $sx (f64x2.add (local.get $sx) (local.get $xi)))
            (local.set $sy (f64x2.add (local.get $sy) (local.get $yi)))
            (local.set $sxx (f64x2.add (local.get $sxx) (f64x2.mul (local.get $xi) (local.get $xi))))
            (local.set $syy (f64x2.add (local.get $syy) (f64x2.mul (local.get $yi) (local.get $yi))))
            (local.set $sxy (f64x2.add (local.get $sxy) (f64x2.mul (local.get $xi) (local.get $yi))))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (br $sum)))
        (if (i32.eqz (local.get $kind))
          (then
            (local.set $bad (v128.const i64x2 0 0))
            ;; outputs e0 .. e0 + L - 1: p walks lane 0's rows; the first one does not slide
            (local.set $p (local.get $e))
            (local.set $end (i32.add (local.get $e) (local.get $lb)))
            (block $rowsDone
              (loop $row
                (if (i32.gt_u (local.get $p) (local.get $e))
                  (then
                    (local.set $q (i32.add (local.get $p) (local.get $dy)))
                    (local.set $xi (f64x2.sub (v128.load64_lane 1 (i32.add (local.get $p) (local.get $lb))
                      (v128.load64_zero (local.get $p))) (local.get $kx)))
                    (local.set $yi (f64x2.sub (v128.load64_lane 1 (i32.add (local.get $q) (local.get $lb))
                      (v128.load64_zero (local.get $q))) (local.get $ky)))
                    (local.set $q (i32.sub (local.get $p) (local.get $wb)))
                    (local.set $xo (f64x2.sub (v128.load64_lane 1 (i32.add (local.get $q) (local.get $lb))
                      (v128.load64_zero (local.get $q))) (local.get $kx)))
                    (local.set $q (i32.add (local.get $q) (local.get $dy)))
                    (local.set $yo (f64x2.sub (v128.load64_lane 1 (i32.add (local.get $q) (local.get $lb))
                      (v128.load64_zero (local.get $q))) (local.get $ky)))
                    (local.set $ddx (f64x2.sub (local.get $xi) (local.get $xo)))
                    (local.set $ddy (f64x2.sub (local.get $yi) (local.get $yo)))
                    (local.set $sx (f64x2.add (local.get $sx) (local.get $ddx)))
                    (local.set $sy (f64x2.add (local.get $sy) (local.get $ddy)))
                    (local.set $sxx (f64x2.add (local.get $sxx)
                      (f64x2.mul (local.get $ddx) (f64x2.add (local.get $xi) (local.get $xo)))))
                    (local.set $syy (f64x2.add (local.get $syy)
                      (f64x2.mul (local.get $ddy) (f64x2.add (local.get $yi) (local.get $yo)))))
                    (local.set $sxy (f64x2.add (local.get $sxy)
                      (f64x2.sub (f64x2.mul (local.get $xi) (local.get $yi)) (f64x2.mul (local.get $xo) (local.get $yo)))))))
                (local.set $my (f64x2.mul (local.get $sy) (local.get $iw)))
                (local.set $cxx (f64x2.sub (local.get $sxx)
                  (f64x2.mul (f64x2.mul (local.get $sx) (local.get $sx)) (local.get $iw))))
                (local.set $cyy (f64x2.sub (local.get $syy) (f64x2.mul (local.get $sy) (local.get $my))))
                (local.set $cxy (f64x2.sub (local.get $sxy) (f64x2.mul (local.get $sx) (local.get $my))))
                ;; a (near-)constant window: flagged, and the block is redone checked (as in JS)
                (local.set $bad (v128.or (local.get $bad) (v128.not (v128.and
                  (f64x2.gt (local.get $cxx) (f64x2.mul (local.get $sxx) (local.get $tiny)))
                  (f64x2.gt (local.get $cyy) (f64x2.mul (local.get $syy) (local.get $tiny)))))))
                (local.set $r (f64x2.div (local.get $cxy) (f64x2.sqrt (f64x2.mul (local.get $cxx) (local.get $cyy)))))
                ;; r > 1 ? 1 : r < -1 ? -1 : r (pmax/pmin are exactly these comparisons; NaN stays)
                (local.set $r (f64x2.pmin (f64x2.pmax (local.get $r) (local.get $mone)) (local.get $one)))
                (local.set $q (i32.add (local.get $o) (i32.sub (local.get $p) (local.get $e))))
                (v128.store64_lane 0 (local.get $q) (local.get $r))
                (v128.store64_lane 1 (i32.add (local.get $q) (local.get $lb)) (local.get $r))
                (local.set $p (i32.add (local.get $p) (i32.const 8)))
                (br_if $row (i32.lt_u (local.get $p) (local.get $end)))))
            ;; status per lane: NaN in (sx - sx) + (sy - sy) means a NaN or ±Infinity reached the sums
            (local.set $t (f64x2.add (f64x2.sub (local.get $sx) (local.get $sx)) (f64x2.sub (local.get $sy) (local.get $sy))))
            (local.set $t (v128.bitselect (i64x2.splat (i64.const 2))
              (v128.and (local.get $bad) (i64x2.splat (i64.const 1)))
              (f64x2.ne (local.get $t) (local.get $t))))
)
          (else (if (i32.eq (local.get $kind) (i32.const 1))
            (then
              (local.set $m (f64x2.splat (f64.const inf)))
              (local.set $p (local.get $e))
              (local.set $end (i32.add (local.get $e) (local.get $lb)))
              (block $rowsDone
                (loop $row
                  (if (i32.gt_u (local.get $p) (local.get $e))
                    (then
                      (local.set $q (i32.add (local.get $p) (local.get $dy)))
                      (local.set $xi (f64x2.sub (v128.load64_lane 1 (i32.add (local.get $p) (local.get $lb))
                        (v128.load64_zero (local.get $p))) (local.get $kx)))
                      (local.set $yi (f64x2.sub (v128.load64_lane 1 (i32.add (local.get $q) (local.get $lb))
                        (v128.load64_zero (local.get $q))) (local.get $ky)))
                      (local.set $q (i32.sub (local.get $p) (local.get $wb)))
                      (local.set $xo (f64x2.sub (v128.load64_lane 1 (i32.add (local.get $q) (local.get $lb))
                        (v128.load64_zero (local.get $q))) (local.get $kx)))
                      (local.set $q (i32.add (local.get $q) (local.get $dy)))
                      (local.set $yo (f64x2.sub (v128.load64_lane 1 (i32.add (local.get $q) (local.get $lb))
                        (v128.load64_zero (local.get $q))) (local.get $ky)))
                      (local.set $ddx (f64x2.sub (local.get $xi) (local.get $xo)))
                      (local.set $sx (f64x2.add (local.get $sx) (local.get $ddx)))
                      (local.set $sy (f64x2.add (local.get $sy) (f64x2.sub (local.get $yi) (local.get $yo))))
                      (local.set $sxx (f64x2.add (local.get $sxx)
                        (f64x2.mul (local.get $ddx) (f64x2.add (local.get $xi) (local.get $xo)))))
                      (local.set $sxy (f64x2.add (local.get $sxy)
                        (f64x2.sub (f64x2.mul (local.get $xi) (local.get $yi)) (f64x2.mul (local.get $xo) (local.get $yo)))))))
                  (local.set $cxx (f64x2.sub (local.get $sxx)
                    (f64x2.mul (f64x2.mul (local.get $sx) (local.get $sx)) (local.get $iw))))
                  ;; Math.min(margin, cxx - sxx·1e-13): f64x2.min keeps a NaN and orders -0 below 0, as Math.min
                  (local.set $m (f64x2.min (local.get $m)
                    (f64x2.sub (local.get $cxx) (f64x2.mul (local.get $sxx) (local.get $tiny)))))
                  (local.set $r (f64x2.div
                    (f64x2.sub (local.get $sxy) (f64x2.mul (f64x2.mul (local.get $sx) (local.get $sy)) (local.get $iw)))
                    (local.get $cxx)))
                  (local.set $q (i32.add (local.get $o) (i32.sub (local.get $p) (local.get $e))))
                  (v128.store64_lane 0 (local.get $q) (local.get $r))
                  (v128.store64_lane 1 (i32.add (local.get $q) (local.get $lb)) (local.get $r))
                  (local.set $p (i32.add (local.get $p) (i32.const 8)))
                  (br_if $row (i32.lt_u (local.get $p) (local.get $end)))))
              ;; the JS pass returns (sx - sx) + (sy - sy) + margin: NaN gives up, <= 0 redoes the block
              (local.set $t (f64x2.add (f64x2.add (f64x2.sub (local.get $sx) (local.get $sx)) (f64x2.sub (local.get $sy) (local.get $sy)))
                (local.get $m)))
              (local.set $t (v128.bitselect (i64x2.splat (i64.const 2))
                (v128.and (f64x2.le (local.get $t) (local.get $zero)) (i64x2.splat (i64.const 1)))
                (f64x2.ne (local.get $t) (local.get $t))))
)
            (else
              (local.set $p (local.get $e))
              (local.set $end (i32.add (local.get $e) (local.get $lb)))
              (block $rowsDone
                (loop $row
                  (if (i32.gt_u (local.get $p) (local.get $e))
                    (then
                      (local.set $q (i32.add (local.get $p) (local.get $dy)))
                      (local.set $xi (f64x2.sub (v128.load64_lane 1 (i32.add (local.get $p) (local.get $lb))
                        (v128.load64_zero (local.get $p))) (local.get $kx)))
                      (local.set $yi (f64x2.sub (v128.load64_lane 1 (i32.add (local.get $q) (local.get $lb))
                        (v128.load64_zero (local.get $q))) (local.get $ky)))
                      (local.set $q (i32.sub (local.get $p) (local.get $wb)))
                      (local.set $xo (f64x2.sub (v128.load64_lane 1 (i32.add (local.get $q) (local.get $lb))
                        (v128.load64_zero (local.get $q))) (local.get $kx)))
                      (local.set $q (i32.add (local.get $q) (local.get $dy)))
                      (local.set $yo (f64x2.sub (v128.load64_lane 1 (i32.add (local.get $q) (local.get $lb))
                        (v128.load64_zero (local.get $q))) (local.get $ky)))
                      (local.set $sx (f64x2.add (local.get $sx) (f64x2.sub (local.get $xi) (local.get $xo))))
                      (local.set $sy (f64x2.add (local.get $sy) (f64x2.sub (local.get $yi) (local.get $yo))))
                      (local.set $sxy (f64x2.add (local.get $sxy)
                        (f64x2.sub (f64x2.mul (local.get $xi) (local.get $yi)) (f64x2.mul (local.get $xo) (local.get $yo)))))))
                  (local.set $r (f64x2.mul
                    (f64x2.sub (local.get $sxy) (f64x2.mul (f64x2.mul (local.get $sx) (local.get $sy)) (local.get $iw)))
                    (local.get $iw1)))
                  (local.set $q (i32.add (local.get $o) (i32.sub (local.get $p) (local.get $e))))
                  (v128.store64_lane 0 (local.get $q) (local.get $r))
                  (v128.store64_lane 1 (i32.add (local.get $q) (local.get $lb)) (local.get $r))
                  (local.set $p (i32.add (local.get $p) (i32.const 8)))
                  (br_if $row (i32.lt_u (local.get $p) (local.get $end)))))
              ;; no margin: only non-finite sums end the pass
              (local.set $t (f64x2.add (f64x2.sub (local.get $sx) (local.get $sx)) (f64x2.sub (local.get $sy) (local.get $sy))))
              (local.set $t (v128.and (f64x2.ne (local.get $t) (local.get $t)) (i64x2.splat (i64.const 2))))
))))
        (local.set $q (i32.add (local.get $st) (i32.shl (local.get $k) (i32.const 3))))
        (i32.store (local.get $q) (i32x4.extract_lane 0 (local.get $t)))
        (i32.store offset=4 (local.get $q) (i32x4.extract_lane 2 (local.get $t)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $pair)))))
