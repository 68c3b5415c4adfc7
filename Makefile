# Learn Deep Learning with C: the course kit.
#
#   make grade              grade every written chapter of your code (lessons/*/exercise.c)
#   make grade CH=1.2       grade one chapter, with every check in detail
#   make grade CH=1.2 ONLY=transpose-lesson   run only the checks named (ids shown by a failed check)
#   make debug CH=1.2 ONLY=transpose-lesson   run one check of your code under gdb
#   make reset CH=1.2       put the chapter's untouched exercise back (yours is kept as exercise.c.orig)
#   make grade SUBMISSION=work.tar.gz   grade a learner's exercise.c files (CI), hidden cases included
#   make run CH=1.1         run the chapter's demo with your code
#   make run CH=4.5 DEMO=final_exam   run another program of the chapter (the final exam)
#   make hint CH=1.1        one more hint for the chapter each time (without CH: the chapter you are on)
#   make watch              grade the chapter you are editing every time you save it
#   make datasets           download MNIST (offline, the kit uses Debian's Fashion-MNIST)
#   make test               the kit's own tests (instructors and CI), two at a time on two cores
#   make test T=mutants CH=3.4   some of them (make test T=list names them), for some chapters
#   make bench              the speed of the reference solutions and of grading, measured on this machine
#                           (and of the same networks in PyTorch and NumPy where python3-torch is installed)
#   make bench SCALE=1      how an epoch's time grows with the batch size, the width and the filter count
#   make figures            draw the lessons' figures of ideas again (tools/figures.c -> lessons/*/pictures/*.svg)
#
# Instructors: make grade-solutions, make fixtures, make stubs, make student, make coverage,
# make mutate CH=x.y (the mutants of a reference solution that every check passes),
# make new-lesson CH=x.y (see README.md and docs/new-lesson.md).

CC ?= cc
# -O3: gcc vectorizes loops, and turns a comparison in a loop ("x > 0 ? x : 0") into a select instead of a branch
# whose direction the processor cannot predict on signs as random as a feature map's (at -O2 chapter 4.3's ReLU ran
# 10 times slower, its max pooling 2.3 times). The results are those of -O2, bit for bit: no -ffast-math.
BASE_CFLAGS = -O3 -g -std=gnu11 -Wall -Wextra $(shell pkg-config --cflags openblas zlib libpng)
CFLAGS = $(BASE_CFLAGS) -MMD -MP
LDLIBS = $(shell pkg-config --libs openblas zlib libpng) -lm

BUILD := build
HARNESS_SOURCES := $(wildcard harness/*.c)
HARNESS_OBJECTS := $(HARNESS_SOURCES:harness/%.c=$(BUILD)/kit/%.o)
GRADER_SOURCES := grader/grade.c grader/util.c grader/course.c grader/judge.c grader/memcheck.c grader/report.c grader/instructor.c grader/sandbox.c grader/process.c grader/reuse.c grader/compiler.c
GRADER_OBJECTS := $(GRADER_SOURCES:grader/%.c=$(BUILD)/grader/%.o)
SUITE_SOURCES := $(wildcard grader/suites/*.c)
SUITE_OBJECTS := $(SUITE_SOURCES:grader/suites/%.c=$(BUILD)/grader/suite-%.o)
HARNESS_TESTS := $(wildcard harness/tests/*.c)
GRADER_TESTS := $(wildcard grader/tests/*.c)
GRADE := $(BUILD)/grader/grade
MUTATE := $(BUILD)/grader/mutate
FIGURES := $(BUILD)/tools/figures
KIT := $(BUILD)/kit/libkit.a $(BUILD)/grader/runner.o $(SUITE_OBJECTS) $(GRADE) $(MUTATE)

.PHONY: all deps datasets grade grade-solutions debug reset run hint watch test bench bench-conv figures fixtures stubs student coverage mutate new-lesson clean
.DEFAULT_GOAL := all

all: deps
	@$(MAKE) --no-print-directory -s $(KIT)

deps:
	@sh tools/install-deps.sh

datasets: deps
	@sh datasets/fetch-mnist.sh

# make prints "make: *** [Makefile:N: grade] Error 1" after any recipe that fails, and no option turns that line
# off without also losing the exit status that CI reads: the line before it says what it means
grade: all
	@sh datasets/fetch-mnist.sh --once
	@$(GRADE) $(if $(SUBMISSION),--submission $(SUBMISSION)) $(if $(ONLY),--only $(ONLY)) $(CH) || { \
		status=$$?; [ $$status -ne 1 ] || echo "(make grade exits with status 1 while a chapter fails, and make reports that on the next line as Error 1: nothing in the kit is broken)" >&2; exit $$status; }

debug: all
	@$(GRADE) debug $(if $(ONLY),--only $(ONLY)) $(CH)

reset: all
	@sh tools/reset.sh $(CH)

# for the instructors' copy: the learner's edition has no solutions/
INSTRUCTORS_ONLY = @[ -d solutions ] || { echo "make $@ is for the instructors' copy of the kit, which has solutions/; this is the learner's edition (make grade grades your work)" >&2; exit 2; }

grade-solutions: all
	$(INSTRUCTORS_ONLY)
	@$(GRADE) --from solutions $(CH)

run: all
	@$(GRADE) demo $(CH) $(if $(DEMO),--program $(DEMO))

hint: all
	@sh tools/hint.sh $(CH)

watch: all
	@sh tools/watch.sh $(CH)

test: all
	@$(MAKE) --no-print-directory -s $(BUILD)/tests/harness $(BUILD)/tests/grader $(PARALLEL_CHECK)
	@T="$(T)" CH="$(CH)" J="$(J)" bash tools/test.sh

bench: all
	@KIT_CFLAGS="$(BASE_CFLAGS)" KIT_BENCH_SCALE="$(SCALE)" sh tools/bench.sh

# the figures of ideas in the lessons are drawn by a program (so that they can be changed): commit what it writes
figures: all
	$(INSTRUCTORS_ONLY)
	@$(MAKE) --no-print-directory -s $(FIGURES)
	@$(FIGURES) lessons

# a direct convolution for small filters against im2col + sgemm, kernel by kernel and layer by layer (bench/conv_direct.md)
bench-conv: all
	@KIT_CFLAGS="$(BASE_CFLAGS)" sh bench/conv_layers.sh

fixtures: all
	$(INSTRUCTORS_ONLY)
	@$(GRADE) record $(CH)

stubs:
	$(INSTRUCTORS_ONLY)
	@for f in solutions/*/exercise.c; do \
	    folder=$$(basename $$(dirname $$f)); chapter=$${folder%%-*}; \
	    awk -v chapter=$$chapter -f grader/stub.awk $$f > lessons/$$folder/exercise.c || exit 1; \
	    echo "wrote lessons/$$folder/exercise.c"; \
	done

student:
	@sh tools/student.sh $(DIR)

coverage: all
	$(INSTRUCTORS_ONLY)
	@sh tools/coverage.sh

mutate: all
	$(INSTRUCTORS_ONLY)
	@J="$(J)" bash tools/mutate.sh $(CH)

new-lesson: all
	@sh tools/new-lesson.sh "$(CH)" "$(FOLDER)" "$(TITLE)"

clean:
	rm -rf $(BUILD)

$(BUILD)/kit/%.o: harness/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/kit/libkit.a: $(HARNESS_OBJECTS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/grader/%.o: grader/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iharness -c $< -o $@

# the grade tool builds learner code with the same compiler and flags as the kit
$(BUILD)/grader/grade.o: grader/grade.c Makefile
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iharness -DKIT_CC='"$(CC)"' -DKIT_CFLAGS='"$(BASE_CFLAGS)"' -DKIT_LDLIBS='"$(LDLIBS)"' -c $< -o $@

# a check program's main (runner.c) and the process module it writes statuses with (process.c), as one object
$(BUILD)/grader/runner.o: $(BUILD)/grader/runner-main.o $(BUILD)/grader/process.o
	$(LD) -r -o $@ $(BUILD)/grader/runner-main.o $(BUILD)/grader/process.o

$(BUILD)/grader/runner-main.o: grader/runner.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iharness -c $< -o $@

$(BUILD)/grader/suite-%.o: grader/suites/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iharness -Igrader -c $< -o $@

$(GRADE): $(GRADER_OBJECTS) $(BUILD)/kit/libkit.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# make mutate's generator reads the course map as the grade tool does (course.c, util.c)
$(MUTATE): $(BUILD)/grader/mutate.o $(BUILD)/grader/course.o $(BUILD)/grader/util.o
	$(CC) $(CFLAGS) -o $@ $^

# the figures link the reference solutions of chapters 1.1 to 3.1: 3.1's lines are those its train_perceptron learns
FIGURE_SOLUTIONS := $(wildcard solutions/1.*/exercise.c solutions/2.*/exercise.c solutions/3.1-*/exercise.c)
$(FIGURES): tools/figures.c $(FIGURE_SOLUTIONS) $(BUILD)/kit/libkit.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iharness -o $@ tools/figures.c $(FIGURE_SOLUTIONS) $(BUILD)/kit/libkit.a $(LDLIBS)

# make test T=parallel: the reference's CNN trained on 1, 2 and 3 of the kit's threads (once chapter 4.3 is written)
PARALLEL_CHECK := $(if $(wildcard solutions/4.3-*/exercise.c),$(BUILD)/tests/parallel)
$(BUILD)/tests/parallel: tools/tests/parallel.c $(wildcard solutions/*/exercise.c) $(BUILD)/kit/libkit.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iharness -o $@ tools/tests/parallel.c $(wildcard solutions/*/exercise.c) $(BUILD)/kit/libkit.a $(LDLIBS)

$(BUILD)/tests/harness: $(HARNESS_TESTS) $(BUILD)/kit/libkit.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iharness -o $@ $(HARNESS_TESTS) $(BUILD)/kit/libkit.a $(LDLIBS) $(shell pkg-config --libs criterion)

$(BUILD)/tests/grader: $(GRADER_TESTS) $(BUILD)/grader/judge.o $(BUILD)/grader/util.o $(BUILD)/grader/instructor.o \
		$(BUILD)/grader/process.o $(BUILD)/grader/reuse.o $(BUILD)/grader/course.o $(BUILD)/grader/compiler.o \
		$(BUILD)/grader/memcheck.o $(BUILD)/kit/libkit.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iharness -Igrader -o $@ $^ $(LDLIBS) $(shell pkg-config --libs criterion)

-include $(wildcard $(BUILD)/kit/*.d $(BUILD)/grader/*.d $(BUILD)/tools/*.d)
