;; The per-step work of rolling Spearman (rollingSpearman.ts), in WebAssembly SIMD.
;; Compiled by scripts/wasm.mjs (wabt) into rollingSpearman.wasm.ts, which the bundle embeds;
;; test/unit/inference/rollingSpearman.test.ts checks that the embedded bytes are this file's.
;;
;; Memory (set up by init):
;;   [0, off)          R: doubled ranks 2·less + equal + 1 of the window's x values, i16, ring order
;;   [off, 2·off)      S: the same for y (off = n8·16 bytes, n8 = ceil(w / 8); pad lanes hold 0)
;;   [ordx, +2w)       x order: ring slots sorted by x (ties oldest first), u16
;;   [ordy, +2w)       y order
;; All ranks are <= 2w <= 32766 (w <= 16383), so they fit i16 and the products of two fit the
;; i32 lanes of i32x4.dot_i16x8_s; lane sums are widened to i64 every $k vectors.
(module
  (memory (export "memory") 1)
  (global $n8 (mut i32) (i32.const 0))
  (global $off (mut i32) (i32.const 0))
  (global $k (mut i32) (i32.const 1))
  (global $ordx (mut i32) (i32.const 0))
  (global $ordy (mut i32) (i32.const 0))

  ;; init(w): lays the arrays out for a window of w (memory must hold end(w) bytes: see the TS side)
  (func (export "init") (param $w i32)
    (global.set $n8 (i32.shr_u (i32.add (local.get $w) (i32.const 7)) (i32.const 3)))
    (global.set $off (i32.shl (global.get $n8) (i32.const 4)))
    ;; vectors per flush: each adds at most 2·(2w)² to a lane; keep the lane under 2^31
    (global.set $k (i32.div_u (i32.const 2147483647) (i32.mul (i32.const 8) (i32.mul (local.get $w) (local.get $w)))))
    (global.set $ordx (i32.shl (global.get $off) (i32.const 1)))
    (global.set $ordy (i32.add (global.get $ordx)
      (i32.and (i32.add (i32.shl (local.get $w) (i32.const 1)) (i32.const 15)) (i32.const -16)))))

  (func (export "ordx") (result i32) (global.get $ordx))
  (func (export "ordy") (result i32) (global.get $ordy))

  ;; moveSlot(base, po, u, slot): in the u16 order at base, drop position po (the leaver) and put
  ;; slot at position u (u counted with the leaver still present: the newcomer's upper bound)
  (func $moveSlot (param $base i32) (param $po i32) (param $u i32) (param $slot i32)
    (if (i32.lt_s (local.get $po) (local.get $u))
      (then
        (memory.copy
          (i32.add (local.get $base) (i32.shl (local.get $po) (i32.const 1)))
          (i32.add (local.get $base) (i32.shl (i32.add (local.get $po) (i32.const 1)) (i32.const 1)))
          (i32.shl (i32.sub (i32.sub (local.get $u) (local.get $po)) (i32.const 1)) (i32.const 1)))
        (i32.store16 (i32.add (local.get $base) (i32.shl (i32.sub (local.get $u) (i32.const 1)) (i32.const 1))) (local.get $slot)))
      (else
        (memory.copy
          (i32.add (local.get $base) (i32.shl (i32.add (local.get $u) (i32.const 1)) (i32.const 1)))
          (i32.add (local.get $base) (i32.shl (local.get $u) (i32.const 1)))
          (i32.shl (i32.sub (local.get $po) (local.get $u)) (i32.const 1)))
        (i32.store16 (i32.add (local.get $base) (i32.shl (local.get $u) (i32.const 1))) (local.get $slot)))))

  ;; step(nx, ny, ox, oy, pox, ux, poy, uy, slot) -> Σ R·S over all slots after the update.
  ;; nx = T - 1 for the newcomer's doubled rank T among the old window (2·less + equal + 1),
  ;; ox = R - 1 for the leaver's rank R; each R becomes R + min(R ⊖ nx, 2) - min(R ⊖ ox, 2)
  ;; (⊖ saturating at 0): +2 above the newcomer, +1 on a tie with it, the same taken off for the
  ;; leaver. The orders are moved as well (moveSlot), so one call does the step's O(w) work.
  (func (export "step") (param $nx i32) (param $ny i32) (param $ox i32) (param $oy i32)
      (param $pox i32) (param $ux i32) (param $poy i32) (param $uy i32) (param $slot i32) (result f64)
    (local $p i32) (local $end i32) (local $stop i32) (local $off i32)
    (local $a v128) (local $b v128) (local $acc v128) (local $wide v128) (local $two v128)
    (local $vnx v128) (local $vny v128) (local $vox v128) (local $voy v128)
    (call $moveSlot (global.get $ordx) (local.get $pox) (local.get $ux) (local.get $slot))
    (call $moveSlot (global.get $ordy) (local.get $poy) (local.get $uy) (local.get $slot))
    (local.set $two (i16x8.splat (i32.const 2)))
    (local.set $vnx (i16x8.splat (local.get $nx)))
    (local.set $vny (i16x8.splat (local.get $ny)))
    (local.set $vox (i16x8.splat (local.get $ox)))
    (local.set $voy (i16x8.splat (local.get $oy)))
    (local.set $off (global.get $off))
    (local.set $end (local.get $off))
    (local.set $wide (v128.const i64x2 0 0))
    (block $done
      (loop $chunks
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $stop (i32.add (local.get $p) (i32.shl (global.get $k) (i32.const 4))))
        (if (i32.gt_u (local.get $stop) (local.get $end)) (then (local.set $stop (local.get $end))))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (loop $inner
          (local.set $a (v128.load (local.get $p)))
          (local.set $b (v128.load (i32.add (local.get $p) (local.get $off))))
          (local.set $a (i16x8.sub
            (i16x8.add (local.get $a) (i16x8.min_u (i16x8.sub_sat_u (local.get $a) (local.get $vnx)) (local.get $two)))
            (i16x8.min_u (i16x8.sub_sat_u (local.get $a) (local.get $vox)) (local.get $two))))
          (local.set $b (i16x8.sub
            (i16x8.add (local.get $b) (i16x8.min_u (i16x8.sub_sat_u (local.get $b) (local.get $vny)) (local.get $two)))
            (i16x8.min_u (i16x8.sub_sat_u (local.get $b) (local.get $voy)) (local.get $two))))
          (v128.store (local.get $p) (local.get $a))
          (v128.store (i32.add (local.get $p) (local.get $off)) (local.get $b))
          (local.set $acc (i32x4.add (local.get $acc) (i32x4.dot_i16x8_s (local.get $a) (local.get $b))))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br_if $inner (i32.lt_u (local.get $p) (local.get $stop))))
        (local.set $wide (i64x2.add (local.get $wide)
          (i64x2.add (i64x2.extend_low_i32x4_s (local.get $acc)) (i64x2.extend_high_i32x4_s (local.get $acc)))))
        (br $chunks)))
    (f64.convert_i64_s (i64.add (i64x2.extract_lane 0 (local.get $wide)) (i64x2.extract_lane 1 (local.get $wide))))))
